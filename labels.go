package partnernet

import (
	"strings"
)

// tr is a text in each of the offered languages, in the order of [OfferedLanguages]: Swedish,
// English, Arabic, Dari, Persian, Somali, Tigrinya, Ukrainian.
func tr(sv, en, ar, prs, fa, so, ti, uk string) map[LanguageTag]string {
	return map[LanguageTag]string{
		Swedish: sv, English: en, Arabic: ar, Dari: prs, Persian: fa, Somali: so, Tigrinya: ti, Ukrainian: uk,
	}
}

// Labels are the labels of the enum values newcomers read, by the enum's schema name, then value,
// then language: every value of each enum in every offered language (labels_test.go fails when a
// value or a language is missing). Terms marked for review in docs/languages.md were chosen as
// the plain common word where the established term was uncertain.
var Labels = map[string]map[string]map[LanguageTag]string{
	"ActivityCategory": {
		"LANGUAGE_PRACTICE":    tr("Språkträning", "Language practice", "ممارسة اللغة", "تمرین زبان", "تمرین زبان", "Tababarka luqadda", "ልምምድ ቋንቋ", "Мовна практика"),
		"SPORTS":               tr("Idrott och motion", "Sports and exercise", "الرياضة والتمارين", "ورزش", "ورزش", "Ciyaaraha iyo jimicsiga", "ስፖርትን ምንቅስቓስ ኣካላትን", "Спорт і фізичні вправи"),
		"CULTURE":              tr("Kultur", "Culture", "الثقافة", "فرهنگ", "فرهنگ", "Dhaqanka", "ባህሊ", "Культура"),
		"HEALTH":               tr("Hälsa och välbefinnande", "Health and wellbeing", "الصحة والعافية", "صحت و سلامتی", "سلامت و تندرستی", "Caafimaadka iyo ladnaanta", "ጥዕናን ደሓንነትን", "Здоров'я та добробут"),
		"PARENTING":            tr("Föräldraskap och familj", "Parenting and family", "الأبوة والأمومة والأسرة", "والدین و خانواده", "فرزندپروری و خانواده", "Waalidnimada iyo qoyska", "ወለዲነትን ስድራቤትን", "Батьківство і сім'я"),
		"CIVIC_ORIENTATION":    tr("Samhällsorientering", "Civic orientation", "التعريف بالمجتمع", "آشنایی با جامعه", "آشنایی با جامعه", "Barashada bulshada", "ምልላይ ሕብረተሰብ", "Знайомство із суспільством"),
		"WORK_AND_STUDY":       tr("Arbete och studier", "Work and study", "العمل والدراسة", "کار و تحصیل", "کار و تحصیل", "Shaqo iyo waxbarasho", "ስራሕን ትምህርትን", "Робота і навчання"),
		"SOCIAL_MEETING_PLACE": tr("Mötesplats", "Meeting place", "مكان للقاء", "محل دیدار", "مکان دیدار", "Goob kulan", "ቦታ ርክብ", "Місце зустрічей"),
	},
	"TargetGroup": {
		"CHILDREN": tr("Barn", "Children", "الأطفال", "اطفال", "کودکان", "Carruurta", "ቆልዑ", "Діти"),
		"YOUTH":    tr("Unga", "Young people", "الشباب", "جوانان", "جوانان", "Dhallinyarada", "መንእሰያት", "Молодь"),
		"WOMEN":    tr("Kvinnor", "Women", "النساء", "زنان", "زنان", "Haweenka", "ደቂ ኣንስትዮ", "Жінки"),
		"MEN":      tr("Män", "Men", "الرجال", "مردان", "مردان", "Ragga", "ደቂ ተባዕትዮ", "Чоловіки"),
		"PARENTS":  tr("Föräldrar", "Parents", "الآباء والأمهات", "والدین", "والدین", "Waalidiinta", "ወለዲ", "Батьки"),
		"FAMILIES": tr("Familjer", "Families", "العائلات", "خانواده\u200cها", "خانواده\u200cها", "Qoysaska", "ስድራቤታት", "Сім'ї"),
		"SENIORS":  tr("Äldre", "Seniors", "كبار السن", "سالمندان", "سالمندان", "Dadka waayeelka ah", "ኣረጋውያን", "Люди похилого віку"),
		"EVERYONE": tr("Alla", "Everyone", "الجميع", "همه", "همه", "Qof walba", "ኩሉ ሰብ", "Усі"),
	},
	"AdviceTopic": {
		"HOUSING":     tr("Bostad", "Housing", "السكن", "مسکن", "مسکن", "Guriga", "መንበሪ ገዛ", "Житло"),
		"WORK":        tr("Arbete", "Work", "العمل", "کار", "کار", "Shaqada", "ስራሕ", "Робота"),
		"HEALTH_CARE": tr("Hälso- och sjukvård", "Health care", "الرعاية الصحية", "خدمات صحی", "خدمات بهداشتی و درمانی", "Daryeelka caafimaadka", "ክንክን ጥዕና", "Медична допомога"),
		"SCHOOL":      tr("Skola och förskola", "School and preschool", "المدرسة وروضة الأطفال", "مکتب و کودکستان", "مدرسه و پیش\u200cدبستانی", "Iskuulka iyo xannaanada", "ቤት ትምህርትን መውዓሊ ህጻናትን", "Школа і дитячий садок"),
		"AUTHORITIES": tr("Myndigheter och deras brev", "Authorities and their letters", "الجهات الحكومية ورسائلها", "ادارات دولتی و نامه\u200cهای آن\u200cها", "ادارات دولتی و نامه\u200cهایشان", "Hay'adaha dowladda iyo waraaqahooda", "ትካላት መንግስትን ደብዳቤታቶምን", "Державні органи та їхні листи"),
		"FAMILY":      tr("Familjefrågor", "Family matters", "شؤون الأسرة", "مسائل خانوادگی", "مسائل خانوادگی", "Arrimaha qoyska", "ጉዳያት ስድራቤት", "Сімейні питання"),
		"MONEY":       tr("Pengar: bidrag, räkningar, banken", "Money: benefits, bills, the bank", "المال: الإعانات والفواتير والبنك", "پول: کمک\u200cهای مالی، بل\u200cها، بانک", "پول: کمک\u200cهزینه\u200cها، قبض\u200cها، بانک", "Lacagta: gargaarka, biilasha, bangiga", "ገንዘብ: ሓገዝ፡ ሕሳባት ክፍሊት፡ ባንኪ", "Гроші: допомога, рахунки, банк"),
		"OTHER":       tr("Annat", "Other", "أمور أخرى", "موارد دیگر", "موارد دیگر", "Wax kale", "ካልእ", "Інше"),
	},
	"Purpose": {
		"ESTABLISHMENT_COORDINATION": tr("Samordning av din etablering", "Coordinating your establishment in Sweden", "تنسيق برنامج التأسيس الخاص بك", "هماهنگی برنامه استقرار شما", "هماهنگی برنامه استقرار شما", "Isku-dubaridka barnaamijkaaga dejinta", "ምውህሃድ መደብ ምጥያሽካ ኣብ ሽወደን", "Координація вашої програми інтеграції"),
		"REFERRAL":                   tr("Remiss till en annan partner", "Referral to another partner", "الإحالة إلى شريك آخر", "معرفی به یک همکار دیگر", "ارجاع به همکار دیگر", "U gudbinta hay'ad kale", "ምሕላፍ ናብ ካልእ መሻርኽቲ", "Направлення до іншого партнера"),
		"ACTIVITY_PARTICIPATION":     tr("Deltagande i aktiviteter", "Taking part in activities", "المشاركة في الأنشطة", "اشتراک در فعالیت\u200cها", "شرکت در فعالیت\u200cها", "Ka qaybgalka hawlaha", "ተሳትፎ ኣብ ንጥፈታት", "Участь у заходах"),
		"SUPPORT_PLAN":               tr("Stödplan", "Support plan", "خطة الدعم", "پلان حمایتی", "برنامه حمایتی", "Qorshaha taageerada", "መደብ ደገፍ", "План підтримки"),
		"HEALTH_COMMUNICATION":       tr("Hälsokommunikation", "Health communication", "التوعية الصحية", "آگاهی\u200cدهی صحی", "آموزش سلامت", "Wacyigelinta caafimaadka", "ሓበሬታ ብዛዕባ ጥዕና", "Інформування про здоров'я"),
		"ADVICE":                     tr("Rådgivning", "Advice", "الاستشارة", "مشوره", "مشاوره", "Talo-bixinta", "ምኽሪ", "Консультування"),
		"RESEARCH":                   tr("Forskning", "Research", "البحث العلمي", "تحقیق", "پژوهش", "Cilmi-baarista", "መጽናዕቲ", "Дослідження"),
		"STATISTICS":                 tr("Statistik", "Statistics", "الإحصاء", "احصائیه", "آمار", "Tirakoobka", "ስታቲስቲክስ", "Статистика"),
	},
	"DataCategory": {
		"IDENTITY":      tr("Identitet (namn, födelseår)", "Identity (name, year of birth)", "الهوية (الاسم، سنة الميلاد)", "هویت (نام، سال تولد)", "هویت (نام، سال تولد)", "Aqoonsiga (magaca, sannadka dhalashada)", "መንነት (ሽም፡ ዓመተ ልደት)", "Особа (ім'я, рік народження)"),
		"CONTACT":       tr("Kontaktuppgifter", "Contact details", "بيانات الاتصال", "معلومات تماس", "اطلاعات تماس", "Macluumaadka xiriirka", "ሓበሬታ ርክብ", "Контактні дані"),
		"FAMILY":        tr("Familj", "Family", "الأسرة", "خانواده", "خانواده", "Qoyska", "ስድራቤት", "Сім'я"),
		"LANGUAGES":     tr("Språk", "Languages", "اللغات", "زبان\u200cها", "زبان\u200cها", "Luqadaha", "ቋንቋታት", "Мови"),
		"HEALTH":        tr("Hälsa", "Health", "الصحة", "صحت", "سلامت", "Caafimaadka", "ጥዕና", "Здоров'я"),
		"BACKGROUND":    tr("Utbildning och arbetslivserfarenhet", "Education and work background", "التعليم والخبرة العملية", "تحصیلات و سابقه کاری", "تحصیلات و سابقه کاری", "Waxbarashada iyo khibradda shaqo", "ትምህርትን ተመክሮ ስራሕን", "Освіта і досвід роботи"),
		"PLAN":          tr("Stödplan", "Support plan", "خطة الدعم", "پلان حمایتی", "برنامه حمایتی", "Qorshaha taageerada", "መደብ ደገፍ", "План підтримки"),
		"PARTICIPATION": tr("Deltagande", "Participation", "المشاركة", "اشتراک", "مشارکت", "Ka qaybgalka", "ተሳትፎ", "Участь"),
		"OUTCOMES":      tr("Resultat (arbete, studier)", "Outcomes (work, study)", "النتائج (العمل، الدراسة)", "نتایج (کار، تحصیل)", "نتایج (کار، تحصیل)", "Natiijooyinka (shaqo, waxbarasho)", "ውጽኢታት (ስራሕ፡ ትምህርቲ)", "Результати (робота, навчання)"),
		"WELLBEING":     tr("Välbefinnande (dina svar på frågeformuläret)", "Wellbeing (your questionnaire answers)", "الحال والعافية (إجاباتك على الاستبيان)", "حال و احوال (جواب\u200cهای شما به پرسش\u200cنامه)", "حال و احوال (پاسخ\u200cهای شما به پرسش\u200cنامه)", "Ladnaanta (jawaabahaaga su'aalaha)", "ደሓንነት (መልስታትካ ኣብ ሕቶታት)", "Самопочуття (ваші відповіді на анкету)"),
	},
	"ConsentState": {
		"ACTIVE":    tr("Gäller", "In effect", "سارية", "فعال", "فعال", "Wuu shaqaynayaa", "ብግብሪ ዘሎ", "Діє"),
		"PENDING":   tr("Börjar gälla senare", "Not yet in effect", "لم تبدأ بعد", "هنوز شروع نشده", "هنوز آغاز نشده", "Weli ma bilaaban", "ገና ኣይጀመረን", "Ще не діє"),
		"WITHDRAWN": tr("Återkallat", "Withdrawn", "تم سحبها", "پس گرفته شده", "پس گرفته شده", "Waa laga noqday", "ተሰሒቡ", "Відкликано"),
		"EXPIRED":   tr("Har gått ut", "Expired", "انتهت مدتها", "ختم شده", "منقضی شده", "Wakhtigiisii wuu dhacay", "ግዜኡ ሓሊፉ", "Строк дії закінчився"),
	},
	"EnrolmentStatus": {
		"ENROLLED":   tr("Anmäld", "Enrolled", "مسجَّل", "ثبت\u200cنام شده", "ثبت\u200cنام شده", "Waa lagu diiwaangeliyay", "ተመዝጊብካ", "Записано"),
		"WAITLISTED": tr("På väntelistan", "On the waiting list", "على قائمة الانتظار", "در لست انتظار", "در فهرست انتظار", "Liiska sugitaanka", "ኣብ ዝርዝር ተጸበይቲ", "У списку очікування"),
		"CANCELLED":  tr("Avanmäld", "Cancelled", "أُلغي التسجيل", "لغو شده", "لغو شده", "Waa la joojiyay", "ተሰሪዙ", "Скасовано"),
	},
	"PlaceAvailability": {
		"AVAILABLE":       tr("Platser finns", "Places available", "توجد أماكن شاغرة", "جای خالی موجود است", "جای خالی هست", "Boos waa jiraa", "ቦታ ኣሎ", "Є вільні місця"),
		"FEW_PLACES_LEFT": tr("Få platser kvar", "Few places left", "بقيت أماكن قليلة", "چند جای کم باقی مانده", "جای کمی باقی مانده", "Boos yar ayaa haray", "ውሑድ ቦታ ተሪፉ", "Залишилося мало місць"),
		"FULL":            tr("Fullt – väntelista", "Full – waiting list", "مكتمل – قائمة انتظار", "پر است – لست انتظار", "پر است – فهرست انتظار", "Waa buuxaa – liiska sugitaanka", "ምሉእ እዩ – ዝርዝር ተጸበይቲ", "Місць немає – список очікування"),
		"LIMITED":         tr("Begränsat antal platser", "Limited places", "عدد محدود من الأماكن", "جای محدود", "ظرفیت محدود", "Boos xaddidan", "ውሱን ቦታ", "Обмежена кількість місць"),
	},
}

// LabelEnums are the enums of [Labels] with their Go types, in the order of Vocabulary's fields.
var LabelEnums = []struct {
	Name  string
	Enum  interface{ Values() []string }
	Field string
}{
	{"ActivityCategory", ActivityCategory(""), "categories"},
	{"TargetGroup", TargetGroup(""), "targetGroups"},
	{"AdviceTopic", AdviceTopic(""), "adviceTopics"},
	{"Purpose", Purpose(""), "purposes"},
	{"DataCategory", DataCategory(""), "dataCategories"},
	{"ConsentState", ConsentState(""), "consentStates"},
	{"EnrolmentStatus", EnrolmentStatus(""), "enrolmentStatuses"},
	{"PlaceAvailability", PlaceAvailability(""), "placeAvailabilities"},
}

// Label returns the label of an enum value for the reader, along the fallback chain; the value
// itself (as Swedish) when it has no label.
func (r Reader) Label(enum, value string) LocalizedText {
	if t := r.Localize(Labels[enum][value]); t != nil {
		return *t
	}
	return LocalizedText{Text: value, Language: Swedish, Direction: DirectionLTR, Fallback: !r.Wants().SameLanguage(Swedish)}
}

// sentences are the sentences of the access log and of consent receipts, with {placeholders}.
var sentences = map[string]map[LanguageTag]string{
	"read": tr("{org} läste dina uppgifter: {data}.", "{org} read your data: {data}.",
		"اطّلعت الجهة «{org}» على بياناتك: {data}.", "{org} معلومات شما را دید: {data}.",
		"{org} اطلاعات شما را دید: {data}.", "{org} ayaa akhriday xogtaada: {data}.",
		"{org} ሓበሬታኻ ረኣዩ: {data}።", "Організація «{org}» переглянула ваші дані: {data}."),
	"denied": tr("{org} ville använda dina uppgifter ({data}) men fick inte.",
		"{org} asked to use your data ({data}) and was refused.",
		"طلبت الجهة «{org}» استخدام بياناتك ({data}) ورُفض طلبها.",
		"{org} خواست از معلومات شما ({data}) استفاده کند، اما اجازه داده نشد.",
		"{org} خواست از اطلاعات شما ({data}) استفاده کند، اما اجازه داده نشد.",
		"{org} ayaa codsatay inay isticmaasho xogtaada ({data}), laakiin waa loo diiday.",
		"{org} ሓበሬታኻ ({data}) ክጥቀሙ ሓቲቶም፡ ግን ኣይተፈቕደሎምን።",
		"Організація «{org}» хотіла використати ваші дані ({data}), але їй відмовлено."),
	"consentGiven": tr("{org} registrerade ditt samtycke: {data}.", "{org} recorded your consent: {data}.",
		"سجّلت الجهة «{org}» موافقتك: {data}.", "{org} رضایت شما را ثبت کرد: {data}.",
		"{org} رضایت شما را ثبت کرد: {data}.", "{org} ayaa diiwaangelisay oggolaanshahaaga: {data}.",
		"{org} ፍቓድካ መዝጊቦም: {data}።", "Організація «{org}» зареєструвала вашу згоду: {data}."),
	"consentEnded": tr("Ditt samtycke hos {org} upphörde: {data}.", "Your consent with {org} ended: {data}.",
		"انتهت موافقتك لدى الجهة «{org}»: {data}.", "رضایت شما نزد {org} پایان یافت: {data}.",
		"رضایت شما نزد {org} پایان یافت: {data}.", "Oggolaanshahaagii {org} wuu dhammaaday: {data}.",
		"ፍቓድካ ኣብ {org} ተወዲኡ: {data}።", "Вашу згоду в організації «{org}» припинено: {data}."),
	"wrote": tr("{org} registrerade eller ändrade dina uppgifter: {data}.", "{org} recorded or changed your data: {data}.",
		"سجّلت الجهة «{org}» بياناتك أو عدّلتها: {data}.", "{org} معلومات شما را ثبت یا تغییر داد: {data}.",
		"{org} اطلاعات شما را ثبت یا تغییر داد: {data}.", "{org} ayaa diiwaangelisay ama beddeshay xogtaada: {data}.",
		"{org} ሓበሬታኻ መዝጊቦም ወይ ቀይሮም: {data}።", "Організація «{org}» внесла або змінила ваші дані: {data}."),
	"erased": tr("{org} raderade dina personuppgifter.", "{org} erased your personal data.",
		"حذفت الجهة «{org}» بياناتك الشخصية.", "{org} معلومات شخصی شما را پاک کرد.",
		"{org} اطلاعات شخصی شما را پاک کرد.", "{org} ayaa tirtirtay xogtaada shakhsiga ah.",
		"{org} ውልቃዊ ሓበሬታኻ ደምሲሶም።", "Організація «{org}» видалила ваші персональні дані."),
	"selfRead": tr("Du tittade på dina egna uppgifter: {data}.", "You viewed your own data: {data}.",
		"عُرضت عليك بياناتك: {data}.", "معلومات شما به خودتان نشان داده شد: {data}.",
		"اطلاعات شما به خودتان نشان داده شد: {data}.", "Xogtaada ayaa laguu tusay: {data}.",
		"ሓበሬታኻ ንዓኻ ተራእዩ: {data}።", "Ви переглянули свої дані: {data}."),
	"selfChanged": tr("Du ändrade dina uppgifter eller samtycken: {data}.", "You changed your data or consents: {data}.",
		"غُيّرت بياناتك أو موافقاتك بطلب منك: {data}.", "شما معلومات یا رضایت\u200cهای خود را تغییر دادید: {data}.",
		"شما اطلاعات یا رضایت\u200cهای خود را تغییر دادید: {data}.", "Waxaad beddeshay xogtaada ama oggolaanshahaaga: {data}.",
		"ሓበሬታኻ ወይ ፍቓድካ ቀይርካ: {data}።", "Ви змінили свої дані або згоди: {data}."),
	"exported": tr("En kopia av alla dina uppgifter togs fram åt dig.", "A copy of all your data was made for you.",
		"أُعدّت لك نسخة من جميع بياناتك.", "یک کاپی از تمام معلومات شما برایتان تهیه شد.",
		"یک نسخه از همه اطلاعات شما برایتان تهیه شد.", "Nuqul ka mid ah dhammaan xogtaada ayaa laguu diyaariyay.",
		"ቅዳሕ ኩሉ ሓበሬታኻ ተዳልዩልካ።", "Для вас створено копію всіх ваших даних."),
	"purpose": tr("Syfte: {purpose}.", "Purpose: {purpose}.", "الغرض: {purpose}.", "هدف: {purpose}.",
		"هدف: {purpose}.", "Ujeeddada: {purpose}.", "ዕላማ: {purpose}።", "Мета: {purpose}."),
	"someone": tr("En partner", "A partner", "شريك", "یک همکار", "یک همکار", "Hay'ad la shaqeysa", "ሓደ መሻርኽቲ", "Партнер"),
	"noData":  tr("allmänt", "in general", "بشكل عام", "به طور عمومی", "به طور کلی", "guud ahaan", "ብሓፈሻ", "загалом"),
	"receipt": tr("{controller} får dela dina uppgifter ({data}) med {recipients} för: {purposes}.",
		"{controller} may share your data ({data}) with {recipients} for: {purposes}.",
		"يحق للجهة «{controller}» مشاركة بياناتك ({data}) مع {recipients} من أجل: {purposes}.",
		"{controller} اجازه دارد معلومات شما ({data}) را با {recipients} شریک کند، برای: {purposes}.",
		"{controller} اجازه دارد اطلاعات شما ({data}) را با {recipients} به اشتراک بگذارد، برای: {purposes}.",
		"{controller} waxay xogtaada ({data}) la wadaagi kartaa {recipients}, ujeeddada: {purposes}.",
		"{controller} ሓበሬታኻ ({data}) ምስ {recipients} ክካፈሉ ይኽእሉ፡ ንዕላማ: {purposes}።",
		"Організація «{controller}» може передавати ваші дані ({data}) таким організаціям: {recipients}, з метою: {purposes}."),
	"validFrom": tr("Gäller från {from}.", "Valid from {from}.", "سارية من {from}.", "معتبر از {from}.",
		"معتبر از {from}.", "Waxay shaqaynaysaa laga bilaabo {from}.", "ካብ {from} ጀሚሩ ይሰርሕ።", "Діє з {from}."),
	"validFromUntil": tr("Gäller från {from} till {until}.", "Valid from {from} until {until}.",
		"سارية من {from} حتى {until}.", "معتبر از {from} تا {until}.", "معتبر از {from} تا {until}.",
		"Waxay shaqaynaysaa {from} ilaa {until}.", "ካብ {from} ክሳብ {until} ይሰርሕ።", "Діє з {from} до {until}."),
	"state": tr("Status: {state}.", "Status: {state}.", "الحالة: {state}.", "وضعیت: {state}.", "وضعیت: {state}.",
		"Xaaladda: {state}.", "ኩነታት: {state}።", "Статус: {state}."),
	// The fields of an activity's event in an iCalendar feed read in a language.
	"calOrganiser": tr("Arrangör: {name}", "Organiser: {name}", "الجهة المنظِّمة: {name}", "برگزارکننده: {name}",
		"برگزارکننده: {name}", "Qabanqaabiyaha: {name}", "ኣዳላዊ: {name}", "Організатор: {name}"),
	"calCoOrganisers": tr("Medarrangörer: {names}", "Co-organisers: {names}", "جهات مشاركة في التنظيم: {names}",
		"همکاران برگزارکننده: {names}", "برگزارکنندگان همکار: {names}", "Qabanqaabiyayaasha kale: {names}",
		"ተሓባበርቲ ኣዳለውቲ: {names}", "Співорганізатори: {names}"),
	"calLanguages": tr("Språk: {languages}", "Languages: {languages}", "اللغات: {languages}", "زبان\u200cها: {languages}",
		"زبان\u200cها: {languages}", "Luqadaha: {languages}", "ቋንቋታት: {languages}", "Мови: {languages}"),
	"calFree": tr("Kostnad: gratis", "Cost: free", "التكلفة: مجاناً", "هزینه: رایگان", "هزینه: رایگان",
		"Qiimaha: bilaash", "ዋጋ: ብነጻ", "Вартість: безкоштовно"),
	"calCost": tr("Kostnad: {amount} kr", "Cost: SEK {amount}", "التكلفة: {amount} كرونة", "هزینه: {amount} کرون",
		"هزینه: {amount} کرون", "Qiimaha: {amount} karoon", "ዋጋ: {amount} ክሮነር", "Вартість: {amount} крон"),
	"calContact": tr("Kontakt: {email}", "Contact: {email}", "للتواصل: {email}", "تماس: {email}", "تماس: {email}",
		"Xiriir: {email}", "ርክብ: {email}", "Контакт: {email}"),
	"withdraw": tr("Du kan återkalla samtycket när du vill.", "You can withdraw your consent at any time.",
		"يمكنك سحب موافقتك في أي وقت.", "شما می\u200cتوانید هر وقت بخواهید رضایت خود را پس بگیرید.",
		"هر زمان بخواهید می\u200cتوانید رضایت خود را پس بگیرید.", "Waad ka noqon kartaa oggolaanshahaaga wakhti kasta.",
		"ፍቓድካ ኣብ ዝኾነ ግዜ ክትስሕቦ ትኽእል ኢኻ።", "Ви можете відкликати свою згоду будь-коли."),
}

// listSeparator joins the items of a list in a language's sentence: the Arabic comma in Arabic
// script.
func listSeparator(t LanguageTag) string {
	if t.Direction() == DirectionRTL {
		return "، "
	}
	return ", "
}

// Sentence returns the named sentence for the reader, its {placeholders} filled from args
// (name, value pairs): lists given as []string are joined with the language's separator.
func (r Reader) Sentence(name string, args ...any) LocalizedText {
	t := r.Localize(sentences[name])
	if t == nil {
		return LocalizedText{Language: Swedish, Direction: DirectionLTR}
	}
	pairs := make([]string, 0, len(args))
	for i := 0; i+1 < len(args); i += 2 {
		key, _ := args[i].(string)
		var v string
		switch val := args[i+1].(type) {
		case string:
			v = val
		case []string:
			v = strings.Join(val, listSeparator(t.Language))
		}
		pairs = append(pairs, "{"+key+"}", v)
	}
	t.Text = strings.NewReplacer(pairs...).Replace(t.Text)
	return *t
}

// ReaderIn returns a reader of exactly the language a text was chosen in, so that the parts of a
// sentence (labels, names) follow the sentence's language, not the chain again.
func ReaderIn(t LanguageTag) Reader { return Reader{t} }
