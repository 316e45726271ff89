package seed

import (
	"fmt"

	"github.com/partnerskap-skane/partnernet"
)

// translatedLanguages are the languages the demo texts are translated into beyond Swedish and
// English, in the order of each entry of the tables below: Arabic, Dari, Persian, Somali,
// Tigrinya, Ukrainian.
var translatedLanguages = []partnernet.LanguageTag{
	partnernet.Arabic, partnernet.Dari, partnernet.Persian, partnernet.Somali, partnernet.Tigrinya, partnernet.Ukrainian,
}

// localText is a title and a description in one language.
type localText struct{ title, description string }

// templateTexts translate the activity templates (nadActivities and otherTemplates), by their
// Swedish title, into translatedLanguages. Short and plain: they are read by newcomers; see
// docs/languages.md for the terms left to native review.
var templateTexts = map[string][6]localText{
	"Språkcafé": {
		{"مقهى اللغة", "تدرّب على اللغة السويدية مع متطوعين على فنجان قهوة. نرحّب بجميع المستويات."},
		{"کافه زبان", "با داوطلبان در کنار یک پیاله قهوه سویدنی تمرین کنید. همه سطح\u200cها خوش آمدید."},
		{"کافه زبان", "با داوطلبان، کنار یک فنجان قهوه، سوئدی تمرین کنید. از همه سطح\u200cها استقبال می\u200cکنیم."},
		{"Kafeega luqadda", "Ku celceli af-Iswiidhishka adigoo koob kafee ah la wadaagaya mutadawiciin. Heer kasta waa la soo dhaweynayaa."},
		{"ካፈ ቋንቋ", "ምስ ወለንተኛታት ኣብ ጽዋእ ቡን ሽወደንኛ ተለማመድ። ኩሉ ደረጃታት እንቋዕ ብደሓን መጻእኩም።"},
		{"Мовне кафе", "Практикуйте шведську за чашкою кави з волонтерами. Запрошуємо людей з будь-яким рівнем мови."},
	},
	"Samtalsgrupp på lätt svenska": {
		{"مجموعة محادثة باللغة السويدية المبسطة", "نتحدث عن الحياة اليومية والعمل وأوقات الفراغ باللغة السويدية المبسطة."},
		{"گروه گفتگو به سویدنی ساده", "به زبان سویدنی ساده درباره زندگی روزمره، کار و اوقات فراغت صحبت می\u200cکنیم."},
		{"گروه گفت\u200cوگو به سوئدی ساده", "به زبان سوئدی ساده درباره زندگی روزمره، کار و اوقات فراغت صحبت می\u200cکنیم."},
		{"Koox wada-hadal oo af-Iswiidhish fudud ah", "Waxaan ka wada hadalnaa nolosha maalinlaha ah, shaqada iyo waqtiga firaaqada, af-Iswiidhish fudud."},
		{"ጉጅለ ዘተ ብቐሊል ሽወደንኛ", "ብዛዕባ መዓልታዊ ህይወት፡ ስራሕን ግዜ ዕረፍትን ብቐሊል ሽወደንኛ ንዘራረብ።"},
		{"Розмовна група простою шведською", "Говоримо про повсякденне життя, роботу й дозвілля простою шведською мовою."},
	},
	"Fotboll för alla": {
		{"كرة القدم للجميع", "كرة قدم مفتوحة للجميع مع مدربي النادي. يمكن استعارة الأحذية والسترات."},
		{"فوتبال برای همه", "فوتبال آزاد با مربیان باشگاه. بوت و جلیقه برای امانت موجود است."},
		{"فوتبال برای همه", "فوتبال آزاد با مربیان باشگاه. کفش و جلیقه برای امانت هست."},
		{"Kubadda cagta qof walba", "Kubadda cagta furan oo lala ciyaarayo tababarayaasha naadiga. Kabo iyo funaanado ayaa la amaahan karaa."},
		{"ኩዕሶ እግሪ ንኹሉ", "ክፉት ጸወታ ኩዕሶ እግሪ ምስ ኣሰልጠንቲ ክለብ። ጫማን ጃኬታትን ንምልቃሕ ኣለዉ።"},
		{"Футбол для всіх", "Вільний футбол із тренерами клубу. Взуття та манішки можна позичити."},
	},
	"Simskola för kvinnor": {
		{"دروس سباحة للنساء", "دروس سباحة مع مدرّبة في مسبح مغلق (للنساء فقط)."},
		{"آموزش آب\u200cبازی برای زنان", "آموزش آب\u200cبازی با مربی زن در یک حوض بسته (فقط برای زنان)."},
		{"کلاس شنا برای زنان", "آموزش شنا با مربی زن در استخر بسته (فقط برای زنان)."},
		{"Casharro dabaal oo haweenka ah", "Casharro dabaal oo ay bixiso macallimad, barkad xiran (haweenka oo keliya)."},
		{"ትምህርቲ ሕምብስ ንደቂ ኣንስትዮ", "ትምህርቲ ሕምብስ ምስ ኣሰልጣኒት ኣብ ዕጹው መሕምበሲ (ንደቂ ኣንስትዮ ጥራይ)።"},
		{"Уроки плавання для жінок", "Уроки плавання з інструкторкою в закритому басейні (лише для жінок)."},
	},
	"Cykelskola för vuxna": {
		{"مدرسة ركوب الدراجة للكبار", "تعلّم ركوب الدراجة وقواعد المرور بهدوء ودون استعجال."},
		{"آموزش بایسکل\u200cرانی برای بزرگسالان", "بایسکل\u200cرانی و قوانین ترافیک را آرام و بدون عجله یاد بگیرید."},
		{"آموزش دوچرخه\u200cسواری برای بزرگسالان", "دوچرخه\u200cسواری و قوانین رانندگی را آرام و بی\u200cعجله یاد بگیرید."},
		{"Dugsiga baaskiilka ee dadka waaweyn", "Baro wadista baaskiilka iyo xeerarka waddada, si tartiib ah."},
		{"ቤት ትምህርቲ ብሽክለታ ንዓበይቲ", "ብሽክለታ ምዝዋርን ሕግታት ትራፊክን ብህድኣት ተማሃር።"},
		{"Велошкола для дорослих", "Навчіться їздити на велосипеді та правил дорожнього руху у спокійному темпі."},
	},
	"Promenadgrupp": {
		{"مجموعة المشي", "نزهة مشي جماعية في الحي، نحو خمسة كيلومترات."},
		{"گروه پیاده\u200cروی", "پیاده\u200cروی گروهی در اطراف محله، حدود پنج کیلومتر."},
		{"گروه پیاده\u200cروی", "پیاده\u200cروی گروهی در محله، حدود پنج کیلومتر."},
		{"Kooxda socodka", "Socod wadajir ah oo xaafadda ah, qiyaastii shan kiilomitir."},
		{"ጉጅለ ምኽያድ", "ሓባራዊ ምኽያድ ኣብ ከባቢ፡ ኣስታት ሓሙሽተ ኪሎሜተር።"},
		{"Група прогулянок", "Спільна прогулянка околицями, близько п'яти кілометрів."},
	},
	"Hälsoträff": {
		{"لقاء صحي", "أحاديث عن الصحة والرعاية الصحية في السويد والعناية بالنفس مع مرشد صحي."},
		{"نشست صحی", "گفتگو درباره صحت، خدمات صحی در سویدن و مراقبت از خود، با یک آگاهی\u200cدهنده صحی."},
		{"دیدار سلامت", "گفت\u200cوگو درباره سلامت، نظام درمانی سوئد و مراقبت از خود، با یک آموزش\u200cدهنده سلامت."},
		{"Kulanka caafimaadka", "Wada-hadal ku saabsan caafimaadka, daryeelka caafimaadka Iswiidhan iyo is-daryeelka, oo lala yeesho wacyigeliye caafimaad."},
		{"ርክብ ጥዕና", "ዘተ ብዛዕባ ጥዕና፡ ክንክን ጥዕና ኣብ ሽወደንን ርእስኻ ምክንኻንን ምስ ሓበሬታ ሃቢ ጥዕና።"},
		{"Зустріч про здоров'я", "Розмови про здоров'я, медицину у Швеції та турботу про себе з консультантом зі здоров'я."},
	},
	"Föräldragrupp": {
		{"مجموعة الآباء والأمهات", "أحاديث عن تربية الأطفال في بلد جديد، والمدرسة، وحقوق الطفل."},
		{"گروه والدین", "گفتگو درباره تربیت اطفال در یک کشور نو، مکتب و حقوق اطفال."},
		{"گروه والدین", "گفت\u200cوگو درباره فرزندپروری در کشوری تازه، مدرسه و حقوق کودکان."},
		{"Kooxda waalidiinta", "Wada-hadal ku saabsan barbaarinta carruurta dal cusub, iskuulka iyo xuquuqda carruurta."},
		{"ጉጅለ ወለዲ", "ዘተ ብዛዕባ ኣተዓባብያ ቆልዑ ኣብ ሓድሽ ሃገር፡ ቤት ትምህርትን መሰላት ቆልዑን።"},
		{"Група для батьків", "Розмови про виховання дітей у новій країні, школу та права дитини."},
	},
	"Familjelördag": {
		{"سبت العائلة", "ألعاب وقهوة وأشغال يدوية لكل العائلة."},
		{"شنبه خانوادگی", "بازی، چای و قهوه و کاردستی برای تمام خانواده."},
		{"شنبه خانوادگی", "بازی، قهوه و کاردستی برای همه خانواده."},
		{"Sabtida qoyska", "Ciyaaro, kafee iyo farshaxan gacmeed oo loogu talagalay qoyska oo dhan."},
		{"ቀዳም ስድራቤት", "ጸወታ፡ ቡንን ስራሕ ኢድን ንብዘለዋ ስድራቤት።"},
		{"Сімейна субота", "Ігри, кава та рукоділля для всієї родини."},
	},
	"Körsång": {
		{"الغناء الجماعي", "نغني معاً أغاني سويدية وعالمية."},
		{"آواز گروهی", "با هم آهنگ\u200cهای سویدنی و بین\u200cالمللی می\u200cخوانیم."},
		{"آواز گروهی", "با هم ترانه\u200cهای سوئدی و بین\u200cالمللی می\u200cخوانیم."},
		{"Heesaha kooxda", "Waxaan wada qaadnaa heeso Iswiidhish ah iyo heeso caalami ah."},
		{"ጉጅለ ደርፊ", "ሽወደናውያንን ዓለምለኻውያንን ደርፍታት ብሓባር ንደርፍ።"},
		{"Хоровий спів", "Разом співаємо шведські та міжнародні пісні."},
	},
	"Bibliotekets berättarstund": {
		{"وقت الحكايات في المكتبة", "حكايات بعدة لغات للأطفال وأهاليهم."},
		{"وقت قصه در کتابخانه", "قصه\u200cها به چند زبان برای اطفال و والدین."},
		{"ساعت قصه\u200cگویی کتابخانه", "قصه\u200cهایی به چند زبان برای کودکان و والدین."},
		{"Waqtiga sheekooyinka maktabadda", "Sheekooyin luqado kala duwan ah oo loogu talagalay carruurta iyo waalidiinta."},
		{"ግዜ ዛንታ ኣብ ቤተ-መጻሕፍቲ", "ዛንታታት ብዝተፈላለዩ ቋንቋታት ንቆልዑን ወለዲን።"},
		{"Казкова година в бібліотеці", "Історії кількома мовами для дітей і батьків."},
	},
	"Så fungerar Sverige": {
		{"كيف تعمل السويد", "تعريف بالمجتمع: الجهات الحكومية والحقوق والواجبات."},
		{"سویدن چطور کار می\u200cکند", "آشنایی با جامعه: ادارات دولتی، حقوق و وجایب."},
		{"سوئد چگونه کار می\u200cکند", "آشنایی با جامعه: ادارات دولتی، حقوق و وظایف."},
		{"Sida Iswiidhan u shaqeyso", "Barashada bulshada: hay'adaha dowladda, xuquuqda iyo waajibaadka."},
		{"ሽወደን ከመይ ትሰርሕ", "ምልላይ ሕብረተሰብ፡ ትካላት መንግስቲ፡ መሰላትን ግቡኣትን።"},
		{"Як влаштована Швеція", "Знайомство із суспільством: державні органи, права та обов'язки."},
	},
	"Jobbklubb": {
		{"نادي العمل", "مساعدة في كتابة السيرة الذاتية ورسالة التقديم والتدرّب على مقابلات العمل."},
		{"کلوپ کاریابی", "کمک در نوشتن سی\u200cوی، نامه درخواست کار و تمرین مصاحبه."},
		{"باشگاه کاریابی", "کمک در نوشتن رزومه، نامه درخواست کار و تمرین مصاحبه."},
		{"Naadiga shaqo-raadinta", "Caawimaad CV-ga, warqadda codsiga iyo ku celcelinta wareysiga shaqada."},
		{"ክለብ ስራሕ", "ሓገዝ ኣብ ሲቪ (CV)፡ ደብዳቤ ሕቶ ስራሕን ልምምድ ቃለ-መሕትትን።"},
		{"Клуб пошуку роботи", "Допомога з резюме, супровідним листом і підготовкою до співбесіди."},
	},
	"Läxhjälp": {
		{"مساعدة في الواجبات المدرسية", "متطوعون يساعدون الأطفال والشباب في دروسهم."},
		{"کمک در کارخانگی", "داوطلبان به اطفال و جوانان در کارهای مکتب کمک می\u200cکنند."},
		{"کمک در تکالیف مدرسه", "داوطلبان به کودکان و نوجوانان در درس\u200cهایشان کمک می\u200cکنند."},
		{"Caawinta casharrada guriga", "Mutadawiciin ayaa carruurta iyo dhallinyarada ka caawiya casharrada iskuulka."},
		{"ሓገዝ ዕዮ-ገዛ", "ወለንተኛታት ንቆልዑን መንእሰያትን ኣብ ትምህርቲ ይሕግዙ።"},
		{"Допомога з домашніми завданнями", "Волонтери допомагають дітям і молоді з навчанням."},
	},
	"Stickcafé": {
		{"مقهى الحياكة", "أشغال يدوية وأحاديث في جو من الألفة."},
		{"کافه بافتنی", "کار دستی و گفتگو در کنار هم."},
		{"کافه بافتنی", "کاردستی و گفت\u200cوگو در کنار هم."},
		{"Kafeega tolista", "Farshaxan gacmeed iyo sheeko wadaag."},
		{"ካፈ ስራሕ ኢድ", "ስራሕ ኢድን ዕላልን ብሓባር።"},
		{"В'язальне кафе", "Рукоділля та розмови в гарній компанії."},
	},
	"Matlagning från världens kök": {
		{"الطبخ من مطابخ العالم", "نطبخ ونأكل معاً أطباقاً من بلدان المشاركين الأصلية."},
		{"آشپزی از آشپزخانه\u200cهای جهان", "غذاهای کشورهای اصلی اشتراک\u200cکنندگان را با هم می\u200cپزیم و می\u200cخوریم."},
		{"آشپزی از آشپزخانه\u200cهای جهان", "غذاهای کشورهای شرکت\u200cکنندگان را با هم می\u200cپزیم و می\u200cخوریم."},
		{"Karinta cuntooyinka adduunka", "Waxaan wada karinnaa oo wada cunnaa cuntooyin ka yimid dalalka ay ka soo jeedaan ka-qaybgalayaashu."},
		{"ምድላው መግቢ ካብ ኩሽናታት ዓለም", "ካብ ዓድታት ተሳተፍቲ ዝመጹ መግብታት ብሓባር ንሰርሕን ንበልዕን።"},
		{"Кухні світу", "Разом готуємо та куштуємо страви з країн походження учасників."},
	},
	"Odlingsgrupp": {
		{"مجموعة الزراعة", "ازرع الخضروات في حديقة الجمعية طوال الموسم."},
		{"گروه باغبانی", "در باغچه انجمن در طول فصل سبزی بکارید."},
		{"گروه باغبانی", "در طول فصل در باغچه انجمن سبزیجات بکارید."},
		{"Kooxda beerashada", "Ku beero khudaar beerta ururka inta xilligu socdo."},
		{"ጉጅለ ሕርሻ ኣሕምልቲ", "ኣብ ግዜ ወቕቲ ኣብ ጀርዲን ማሕበር ኣሕምልቲ ንተክል።"},
		{"Садівнича група", "Вирощуйте овочі в саду громадського об'єднання впродовж сезону."},
	},
	"Välkommen till biblioteket": {
		{"أهلاً بك في المكتبة", "زيارة إلى المكتبة مع مرشد."},
		{"به کتابخانه خوش آمدید", "بازدید از کتابخانه همراه با رهنما."},
		{"به کتابخانه خوش آمدید", "بازدید از کتابخانه همراه با راهنما."},
		{"Ku soo dhawoow maktabadda", "Booqasho maktabadda oo uu hage la socdo."},
		{"እንቋዕ ናብ ቤተ-መጻሕፍቲ ብደሓን መጻእኩም", "ምስ መራሒ ምብጻሕ ቤተ-መጻሕፍቲ።"},
		{"Ласкаво просимо до бібліотеки", "Екскурсія бібліотекою з гідом."},
	},
	"Besök på vårdcentralen": {
		{"زيارة إلى المركز الصحي", "كيف يعمل المركز الصحي وخدمة 1177."},
		{"بازدید از مرکز صحی", "مرکز صحی و 1177 چطور کار می\u200cکنند."},
		{"بازدید از درمانگاه", "درمانگاه و 1177 چگونه کار می\u200cکنند."},
		{"Booqasho xarunta caafimaadka", "Sida ay u shaqeeyaan xarunta caafimaadka iyo 1177."},
		{"ምብጻሕ ማእከል ጥዕና", "ማእከል ጥዕናን 1177ን ከመይ ከም ዝሰርሑ።"},
		{"Відвідування медичного центру", "Як працюють медичний центр (vårdcentral) і служба 1177."},
	},
	"Möt föreningslivet": {
		{"تعرّف على الجمعيات", "جمعيات البلدية تعرّف بنفسها."},
		{"با انجمن\u200cها آشنا شوید", "انجمن\u200cهای شاروالی خود را معرفی می\u200cکنند."},
		{"با انجمن\u200cها آشنا شوید", "انجمن\u200cهای کمون خود را معرفی می\u200cکنند."},
		{"La kulan ururada", "Ururada degmada ayaa is-soo bandhigaya."},
		{"ምስ ማሕበራት ተላለ", "ማሕበራት ምምሕዳር ከተማ ንርእሶም የላልዩ።"},
		{"Знайомство з об'єднаннями", "Громадські об'єднання муніципалітету розповідають про себе."},
	},
	"Samhällsorientering": {
		{"التعريف بالمجتمع", "التعريف بالمجتمع السويدي بلغتك الأم."},
		{"آشنایی با جامعه", "آشنایی با جامعه سویدن به زبان مادری."},
		{"آشنایی با جامعه", "آشنایی با جامعه سوئد به زبان مادری."},
		{"Barashada bulshada", "Barashada bulshada Iswiidhan oo lagu bixiyo afka hooyo."},
		{"ምልላይ ሕብረተሰብ", "ምልላይ ሕብረተሰብ ሽወደን ብቋንቋ ኣደ።"},
		{"Знайомство із суспільством", "Знайомство зі шведським суспільством рідною мовою."},
	},
	"Hälsokommunikation": {
		{"التوعية الصحية", "التوعية الصحية بلغتك الأم."},
		{"آگاهی\u200cدهی صحی", "آگاهی\u200cدهی صحی به زبان مادری."},
		{"آموزش سلامت", "آموزش سلامت به زبان مادری."},
		{"Wacyigelinta caafimaadka", "Wacyigelinta caafimaadka oo lagu bixiyo afka hooyo."},
		{"ሓበሬታ ጥዕና", "ሓበሬታ ብዛዕባ ጥዕና ብቋንቋ ኣደ።"},
		{"Інформування про здоров'я", "Інформування про здоров'я рідною мовою."},
	},
}

// languageNames name the languages activities are held in (activityLanguages), in each of
// translatedLanguages: the name that follows an activity's title in brackets.
var languageNames = map[string][6]string{
	"ar":  {"العربية", "عربی", "عربی", "Carabi", "ዓረብኛ", "арабською"},
	"prs": {"الدارية", "دری", "دری", "Dari", "ዳሪ", "дарі"},
	"ti":  {"التغرينية", "تگرینیا", "تیگرینیا", "Tigrinya", "ትግርኛ", "тигринья"},
	"so":  {"الصومالية", "سومالیایی", "سومالیایی", "Soomaali", "ሶማልኛ", "сомалійською"},
	"uk":  {"الأوكرانية", "اوکراینی", "اوکراینی", "Yukreeniyaan", "ዩክሬንኛ", "українською"},
	"fa":  {"الفارسية", "فارسی", "فارسی", "Faarisi", "ፋርስኛ", "перською"},
	"ku":  {"الكردية", "کردی", "کردی", "Kurdi", "ኩርድኛ", "курдською"},
	"en":  {"الإنجليزية", "انگلیسی", "انگلیسی", "Ingiriisi", "እንግሊዝኛ", "англійською"},
	"sv":  {"السويدية", "سویدنی", "سوئدی", "Iswiidhish", "ሽወደንኛ", "шведською"},
}

// onlinePlace is "online" in each of translatedLanguages.
var onlinePlace = [6]string{"عبر الإنترنت", "آنلاین", "آنلاین", "khadka tooska ah", "ብኢንተርነት", "онлайн"}

// translateActivity returns the translations of a demo activity made from template t, held in
// the language with code lang at place ("online" or a municipality's name, kept as written):
// the title as "<title> (<language>) – <place>", the template's description.
func translateActivity(t nadActivity, lang, place string) []partnernet.ActivityTranslation {
	texts, ok := templateTexts[t.title]
	if !ok {
		return nil
	}
	out := make([]partnernet.ActivityTranslation, len(translatedLanguages))
	for i, l := range translatedLanguages {
		where := place
		if place == "online" {
			where = onlinePlace[i]
		}
		out[i] = partnernet.ActivityTranslation{
			Language:    l,
			Title:       fmt.Sprintf("%s (%s) – %s", texts[i].title, languageNames[lang][i], where),
			Description: texts[i].description,
		}
	}
	return out
}

// programmeTexts translate the programmes' names and descriptions, by code, into Swedish (the
// description; the name is NameSv) and translatedLanguages.
var programmeTexts = map[partnernet.ProgrammeCode]struct {
	descriptionSv string
	texts         [6]localText
}{
	partnernet.ProgrammeSHK: {
		"En kurs på modersmålet strax efter ankomsten: samhällsorientering och hälsokommunikation med utbildade kommunikatörer som delar språk och migrationsbakgrund.",
		[6]localText{
			{"التعريف بالمجتمع والتوعية الصحية", "دورة بلغتك الأم بعد وصولك بوقت قصير: تعريف بالمجتمع وتوعية صحية، يقدّمها مرشدون مدرَّبون يتحدثون لغتك ولديهم تجربة هجرة مثلك."},
			{"آشنایی با جامعه و آگاهی\u200cدهی صحی", "کورسی به زبان مادری شما، کمی بعد از رسیدن: آشنایی با جامعه و آگاهی\u200cدهی صحی، توسط رهنمایان آموزش\u200cدیده که هم\u200cزبان شما هستند و خود تجربه مهاجرت دارند."},
			{"آشنایی با جامعه و آموزش سلامت", "دوره\u200cای به زبان مادری شما، کمی پس از ورود: آشنایی با جامعه و آموزش سلامت، با راهنمایان آموزش\u200cدیده\u200cای که هم\u200cزبان شما هستند و خود تجربه مهاجرت دارند."},
			{"Barashada bulshada iyo wacyigelinta caafimaadka", "Koorso afkaaga hooyo ah oo la bixiyo wax yar kadib markaad timaado: barashada bulshada iyo wacyigelinta caafimaadka, oo ay bixiyaan hagayaal tababaran oo luqaddaada ku hadla kuna leh khibrad socdaal."},
			{"ምልላይ ሕብረተሰብን ሓበሬታ ጥዕናን", "ድሕሪ ምምጻእካ ቀልጢፉ ብቋንቋ ኣደኻ ዝወሃብ ኮርስ፡ ምልላይ ሕብረተሰብን ሓበሬታ ጥዕናን፡ ቋንቋኻን ተመኩሮ ስደትን ብዝካፈሉኻ ሰልጠንቲ መምርሒ ዝወሃብ።"},
			{"Знайомство із суспільством і здоров'ям", "Курс рідною мовою невдовзі після прибуття: знайомство зі шведським суспільством та інформування про здоров'я від підготовлених консультантів, які говорять вашою мовою і самі мають досвід міграції."},
		},
	},
	partnernet.ProgrammeWelcome: {
		"Besök på platser i lokalsamhället, ordnade av kommuner och föreningar som en del av SHK.",
		[6]localText{
			{"أهلاً بك في سكونه", "زيارات إلى أماكن في المجتمع المحلي، تنظمها البلديات والجمعيات ضمن برنامج التعريف بالمجتمع."},
			{"به اسکونه خوش آمدید", "بازدید از جاهای مهم در جامعه محلی، که شاروالی\u200cها و انجمن\u200cها به عنوان بخشی از آشنایی با جامعه ترتیب می\u200cدهند."},
			{"به اسکونه خوش آمدید", "بازدید از مکان\u200cهای جامعه محلی که کمون\u200cها و انجمن\u200cها به عنوان بخشی از آشنایی با جامعه برگزار می\u200cکنند."},
			{"Ku soo dhawoow Skåne", "Booqashooyin lagu tago goobaha bulshada deegaanka, oo ay abaabulaan degmooyinka iyo ururada, qayb ka mid ah barashada bulshada."},
			{"እንቋዕ ናብ ስኮነ ብደሓን መጻእኩም", "ምብጻሕ ቦታታት ናይ ከባቢ ሕብረተሰብ፡ ብምምሕዳራት ከተማን ማሕበራትን ዝዳሎ፡ ከም ክፋል ምልላይ ሕብረተሰብ።"},
			{"Ласкаво просимо до Сконе", "Відвідини місць місцевої громади, які організовують муніципалітети та громадські об'єднання в межах знайомства із суспільством."},
		},
	},
	partnernet.ProgrammeNAD: {
		"Föreningar och studieförbund erbjuder aktiviteter (språkträning, idrott, kultur, hälsa, föräldraskap) som nyanlända deltar i frivilligt, ofta som en del av sin etableringsplan.",
		[6]localText{
			{"شبكة – نشاط – مشاركة", "تقدّم الجمعيات وجمعيات تعليم الكبار أنشطة (ممارسة اللغة، رياضة، ثقافة، صحة، تربية الأطفال) يشارك فيها القادمون الجدد طوعاً، وغالباً كجزء من خطة التأسيس."},
			{"شبکه – فعالیت – اشتراک", "انجمن\u200cها و انجمن\u200cهای آموزش بزرگسالان فعالیت\u200cهایی (تمرین زبان، ورزش، فرهنگ، صحت، تربیت اطفال) برگزار می\u200cکنند که تازه\u200cواردان به خواست خود در آن اشتراک می\u200cکنند، اغلب به عنوان بخشی از پلان استقرار."},
			{"شبکه – فعالیت – مشارکت", "انجمن\u200cها و انجمن\u200cهای آموزش بزرگسالان فعالیت\u200cهایی (تمرین زبان، ورزش، فرهنگ، سلامت، فرزندپروری) برگزار می\u200cکنند که تازه\u200cواردان داوطلبانه در آن شرکت می\u200cکنند، اغلب به عنوان بخشی از برنامه استقرار."},
			{"Shabakad – Hawl – Ka-qaybgal", "Ururada iyo ururada waxbarashada dadka waaweyn waxay bixiyaan hawlo (tababarka luqadda, ciyaaraha, dhaqanka, caafimaadka, waalidnimada) oo dadka cusub ay si mutadawacnimo ah uga qayb galaan, inta badan qayb ka mid ah qorshahooda dejinta."},
			{"መርበብ – ንጥፈት – ተሳትፎ", "ማሕበራትን ማሕበራት ትምህርቲ ዓበይትን ሓደሽቲ መጻእቲ ብፍቓዶም ዝሳተፍዎ ንጥፈታት (ልምምድ ቋንቋ፡ ስፖርት፡ ባህሊ፡ ጥዕና፡ ወለዲነት) የዳልዉ፡ መብዛሕትኡ ግዜ ከም ክፋል መደብ ምጥያሽ።"},
			{"Мережа – Діяльність – Участь", "Громадські об'єднання та освітні спілки для дорослих пропонують заходи (мовна практика, спорт, культура, здоров'я, батьківство), до яких новоприбулі долучаються добровільно, часто в межах свого плану інтеграції."},
		},
	},
	partnernet.ProgrammeMILSA: {
		"Forskare och praktiker utvecklar kunskap tillsammans och utvärderar partnerskapets metoder, med fem universitet.",
		[6]localText{
			{"منصة الهجرة والصحة (MILSA)", "باحثون وممارسون يطوّرون المعرفة معاً ويقيّمون أساليب الشراكة، بمشاركة خمس جامعات."},
			{"پلتفورم مهاجرت و صحت (MILSA)", "پژوهشگران و کارشناسان با هم دانش تولید می\u200cکنند و روش\u200cهای این همکاری را ارزیابی می\u200cکنند، با پنج پوهنتون."},
			{"بستر مهاجرت و سلامت (MILSA)", "پژوهشگران و متخصصان با هم دانش می\u200cسازند و روش\u200cهای این همکاری را ارزیابی می\u200cکنند، با همراهی پنج دانشگاه."},
			{"Madasha socdaalka iyo caafimaadka (MILSA)", "Cilmi-baarayaal iyo xirfadlayaal ayaa wada horumariya aqoonta oo qiimeeya hababka iskaashiga, iyagoo la shaqeeya shan jaamacadood."},
			{"መድረኽ ስደትን ጥዕናን (MILSA)", "ተመራመርትን ሰብ ሞያን ብሓባር ፍልጠት የማዕብሉን ኣገባባት ሽርክነት ይግምግሙን፡ ምስ ሓሙሽተ ዩኒቨርሲቲታት።"},
			{"Платформа «Міграція і здоров'я» (MILSA)", "Науковці та практики разом розвивають знання й оцінюють методи партнерства за участі п'яти університетів."},
		},
	},
	partnernet.ProgrammeRADRUM: {
		"En kostnadsfri, opartisk och konfidentiell rådgivning som drivs av volontärer: en kontaktpunkt som hjälper nyanlända att hitta rätt i det svenska samhället, med rättigheter, skyldigheter och myndigheter.",
		[6]localText{
			{"خدمة الاستشارة RÅDRUM", "استشارة مجانية ومحايدة وسرية يقدّمها متطوعون: جهة تواصل واحدة تساعد القادمين الجدد على فهم المجتمع السويدي، وحقوقهم وواجباتهم، والجهات الحكومية."},
			{"خدمات مشوره RÅDRUM", "مشوره رایگان، بی\u200cطرفانه و محرمانه توسط داوطلبان: یک جای تماس که به تازه\u200cواردان کمک می\u200cکند راه خود را در جامعه سویدن، حقوق، وجایب و ادارات دولتی پیدا کنند."},
			{"خدمات مشاوره RÅDRUM", "مشاوره رایگان، بی\u200cطرف و محرمانه از سوی داوطلبان: یک نقطه تماس که به تازه\u200cواردان کمک می\u200cکند در جامعه سوئد، حقوق، وظایف و ادارات دولتی راه خود را پیدا کنند."},
			{"Adeegga talo-bixinta RÅDRUM", "Talo bilaash ah, dhexdhexaad ah oo qarsoodi ah oo ay bixiyaan mutadawiciin: hal meel oo xiriir ah oo ka caawisa dadka cusub inay fahmaan bulshada Iswiidhan, xuquuqdooda, waajibaadkooda iyo hay'adaha dowladda."},
			{"ኣገልግሎት ምኽሪ RÅDRUM", "ብወለንተኛታት ዝወሃብ ናጻ፡ ዘይሻራውን ምስጢራውን ምኽሪ፡ ሓደሽቲ መጻእቲ ሕብረተሰብ ሽወደን፡ መሰላቶምን ግቡኣቶምን ትካላት መንግስትን ንኽርድኡ ዝሕግዝ ሓደ ቦታ ርክብ።"},
			{"Консультаційна служба RÅDRUM", "Безкоштовні, неупереджені та конфіденційні консультації від волонтерів: одне місце звернення, яке допомагає новоприбулим зорієнтуватися у шведському суспільстві, своїх правах, обов'язках і державних органах."},
		},
	},
	partnernet.ProgrammeMYPATH: {
		"En handledare ger en person eller familj anpassat stöd: behov och mål delas upp i en serie aktiviteter som planeras med rätt partner, följs upp och utvärderas.",
		[6]localText{
			{"طريقي", "يقدّم مشرف دعماً مخصصاً لشخص أو عائلة: تُقسَّم الاحتياجات والأهداف إلى سلسلة أنشطة تُخطَّط مع الشركاء المناسبين، وتُتابَع وتُقيَّم."},
			{"راه من", "یک رهنما به یک فرد یا خانواده حمایت مناسب ارائه می\u200cکند: نیازها و اهداف به چند فعالیت تقسیم می\u200cشوند که با همکاران مربوط پلان، پیگیری و ارزیابی می\u200cشوند."},
			{"راه من", "یک راهنما به فرد یا خانواده حمایتی متناسب می\u200cدهد: نیازها و هدف\u200cها به مجموعه\u200cای از فعالیت\u200cها تقسیم می\u200cشوند که با همکاران مرتبط برنامه\u200cریزی، پیگیری و ارزیابی می\u200cشوند."},
			{"Waddadayda", "Hage ayaa qof ama qoys siiya taageero ku habboon: baahiyaha iyo yoolalka waxaa loo qaybiyaa hawlo taxane ah oo lala qorsheeyo hay'adaha ku habboon, lana dabagalo lana qiimeeyo."},
			{"መገደይ", "መምርሒ ንሓደ ሰብ ወይ ስድራቤት ዝሰማማዕ ደገፍ ይህብ፡ ድሌታትን ዕላማታትን ናብ ተኸታታሊ ንጥፈታት ይምቀሉ፡ ምስ ዝምልከቶም መሻርኽቲ ይዳለዉ፡ ይከታተሉን ይግምገሙን።"},
			{"Мій шлях", "Куратор надає людині чи родині індивідуальну підтримку: потреби й цілі розбивають на низку заходів, які планують разом із відповідними партнерами, відстежують і оцінюють."},
		},
	},
}

// programmeTranslations returns the translated texts of the programmes with their ids.
func programmeTranslations(ids map[partnernet.ProgrammeCode]int64) []partnernet.PublicText {
	var out []partnernet.PublicText
	for _, p := range Programmes {
		pt, ok := programmeTexts[p.Code]
		if !ok {
			continue
		}
		id := ids[p.Code]
		out = append(out, partnernet.PublicText{Owner: partnernet.TextOfProgramme, OwnerID: id, Language: partnernet.Swedish,
			Field: partnernet.TextDescription, Text: pt.descriptionSv})
		for i, l := range translatedLanguages {
			out = append(out,
				partnernet.PublicText{Owner: partnernet.TextOfProgramme, OwnerID: id, Language: l, Field: partnernet.TextName, Text: pt.texts[i].title},
				partnernet.PublicText{Owner: partnernet.TextOfProgramme, OwnerID: id, Language: l, Field: partnernet.TextDescription, Text: pt.texts[i].description})
		}
	}
	return out
}
