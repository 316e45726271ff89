package notice

import (
	"strings"
	"time"

	"github.com/partnerskap-skane/partnernet"
)

// text is the template of one kind of notice in one language: its subject and body, with the
// placeholders {title}, {organiser}, {when}, {next}, {place} and {reason}.
type text struct{ subject, body string }

// words are the phrases of one language that fill the placeholders.
type words struct {
	reason      string // "\n\nReason: {reason}"
	online      string // the place of an online activity
	unscheduled string // {next} when there is no next occurrence
}

// Languages are the languages notices are written in (ISO 639 codes): Swedish, English, Arabic,
// Persian and Ukrainian. A newcomer whose language is none of them is written to in Swedish,
// followed by English.
var Languages = []string{"sv", "en", "ar", "fa", "uk"}

// texts holds every notice in every language of Languages.
var texts = map[string]map[partnernet.NoticeKind]text{
	"sv": {
		partnernet.NoticeActivityCancelled: {"Inställt: {title}",
			"{organiser} har ställt in aktiviteten ”{title}”.{reason}\n\nDin anmälan gäller inte längre. Du behöver inte göra något."},
		partnernet.NoticeOccurrenceCancelled: {"Inställt tillfälle: {title} {when}",
			"{organiser} har ställt in tillfället {when} av ”{title}”.{reason}\n\nDin anmälan till de andra tillfällena gäller som vanligt."},
		partnernet.NoticeActivityChanged: {"Ändrad tid eller plats: {title}",
			"{organiser} har ändrat tid eller plats för ”{title}”.\n\nNästa tillfälle: {next}\nPlats: {place}"},
		partnernet.NoticePromoted: {"Du har fått en plats: {title}",
			"En plats har blivit ledig i ”{title}” ({organiser}) och den är din. Du är nu anmäld.\n\nNästa tillfälle: {next}\nPlats: {place}\n\nKan du inte komma? Avboka gärna, så att någon annan får platsen."},
		partnernet.NoticeReminder: {"Påminnelse: {title} {when}",
			"Välkommen till ”{title}” ({organiser}) i morgon, {when}.\nPlats: {place}\n\nKan du inte komma? Avboka gärna, så att någon annan får platsen."},
	},
	"en": {
		partnernet.NoticeActivityCancelled: {"Cancelled: {title}",
			"{organiser} has cancelled the activity “{title}”.{reason}\n\nYour enrolment no longer applies. You do not need to do anything."},
		partnernet.NoticeOccurrenceCancelled: {"Session cancelled: {title} {when}",
			"{organiser} has cancelled the session of “{title}” on {when}.{reason}\n\nYour enrolment in the other sessions still applies."},
		partnernet.NoticeActivityChanged: {"New time or place: {title}",
			"{organiser} has changed the time or place of “{title}”.\n\nNext session: {next}\nPlace: {place}"},
		partnernet.NoticePromoted: {"You have a place: {title}",
			"A place has become free in “{title}” ({organiser}) and it is yours. You are now enrolled.\n\nNext session: {next}\nPlace: {place}\n\nCannot come? Please cancel, so that someone else can have the place."},
		partnernet.NoticeReminder: {"Reminder: {title} {when}",
			"Welcome to “{title}” ({organiser}) tomorrow, {when}.\nPlace: {place}\n\nCannot come? Please cancel, so that someone else can have the place."},
	},
	"ar": {
		partnernet.NoticeActivityCancelled: {"تم الإلغاء: {title}",
			"قامت الجهة المنظِّمة ({organiser}) بإلغاء النشاط «{title}».{reason}\n\nلم يعد تسجيلك ساريًا، ولا يلزمك القيام بأي شيء."},
		partnernet.NoticeOccurrenceCancelled: {"إلغاء موعد: {title} {when}",
			"قامت الجهة المنظِّمة ({organiser}) بإلغاء موعد {when} من النشاط «{title}».{reason}\n\nيبقى تسجيلك في المواعيد الأخرى ساريًا كالمعتاد."},
		partnernet.NoticeActivityChanged: {"تغيير في الموعد أو المكان: {title}",
			"قامت الجهة المنظِّمة ({organiser}) بتغيير موعد أو مكان النشاط «{title}».\n\nالموعد القادم: {next}\nالمكان: {place}"},
		partnernet.NoticePromoted: {"حصلتَ على مكان: {title}",
			"أصبح هناك مكان شاغر في النشاط «{title}» ({organiser}) وقد خُصِّص لك. أنت الآن مسجَّل.\n\nالموعد القادم: {next}\nالمكان: {place}\n\nلا تستطيع الحضور؟ يُرجى إلغاء تسجيلك ليحصل شخص آخر على المكان."},
		partnernet.NoticeReminder: {"تذكير: {title} {when}",
			"أهلًا بك في النشاط «{title}» ({organiser}) غدًا، {when}.\nالمكان: {place}\n\nلا تستطيع الحضور؟ يُرجى إلغاء تسجيلك ليحصل شخص آخر على المكان."},
	},
	"fa": {
		partnernet.NoticeActivityCancelled: {"لغو شد: {title}",
			"برگزارکننده ({organiser}) فعالیت «{title}» را لغو کرده است.{reason}\n\nثبت\u200cنام شما دیگر معتبر نیست. لازم نیست کاری انجام دهید."},
		partnernet.NoticeOccurrenceCancelled: {"جلسه لغو شد: {title} {when}",
			"برگزارکننده ({organiser}) جلسهٔ {when} فعالیت «{title}» را لغو کرده است.{reason}\n\nثبت\u200cنام شما در جلسه\u200cهای دیگر مانند قبل معتبر است."},
		partnernet.NoticeActivityChanged: {"تغییر زمان یا مکان: {title}",
			"برگزارکننده ({organiser}) زمان یا مکان فعالیت «{title}» را تغییر داده است.\n\nجلسهٔ بعدی: {next}\nمکان: {place}"},
		partnernet.NoticePromoted: {"برای شما جا هست: {title}",
			"در فعالیت «{title}» ({organiser}) جایی خالی شده و به شما رسیده است. اکنون ثبت\u200cنام شما قطعی است.\n\nجلسهٔ بعدی: {next}\nمکان: {place}\n\nنمی\u200cتوانید بیایید؟ لطفاً ثبت\u200cنام خود را لغو کنید تا شخص دیگری جای شما را بگیرد."},
		partnernet.NoticeReminder: {"یادآوری: {title} {when}",
			"فردا، {when}، در فعالیت «{title}» ({organiser}) منتظر شما هستیم.\nمکان: {place}\n\nنمی\u200cتوانید بیایید؟ لطفاً ثبت\u200cنام خود را لغو کنید تا شخص دیگری جای شما را بگیرد."},
	},
	"uk": {
		partnernet.NoticeActivityCancelled: {"Скасовано: {title}",
			"Організатор ({organiser}) скасував захід «{title}».{reason}\n\nВаша реєстрація більше не діє. Вам нічого не потрібно робити."},
		partnernet.NoticeOccurrenceCancelled: {"Заняття скасовано: {title} {when}",
			"Організатор ({organiser}) скасував заняття {when} у заході «{title}».{reason}\n\nВаша реєстрація на інші заняття залишається чинною."},
		partnernet.NoticeActivityChanged: {"Змінено час або місце: {title}",
			"Організатор ({organiser}) змінив час або місце заходу «{title}».\n\nНаступне заняття: {next}\nМісце: {place}"},
		partnernet.NoticePromoted: {"Для вас є місце: {title}",
			"У заході «{title}» ({organiser}) звільнилося місце, і воно ваше. Тепер ви зареєстровані.\n\nНаступне заняття: {next}\nМісце: {place}\n\nНе можете прийти? Будь ласка, скасуйте реєстрацію, щоб місце отримав хтось інший."},
		partnernet.NoticeReminder: {"Нагадування: {title} {when}",
			"Чекаємо на вас завтра, {when}, на заході «{title}» ({organiser}).\nМісце: {place}\n\nНе можете прийти? Будь ласка, скасуйте реєстрацію, щоб місце отримав хтось інший."},
	},
}

// phrases holds the words of every language of Languages.
var phrases = map[string]words{
	"sv": {reason: "\n\nAnledning: {reason}", online: "digitalt", unscheduled: "inget planerat"},
	"en": {reason: "\n\nReason: {reason}", online: "online", unscheduled: "none scheduled"},
	"ar": {reason: "\n\nالسبب: {reason}", online: "عبر الإنترنت", unscheduled: "لا يوجد موعد محدد"},
	"fa": {reason: "\n\nدلیل: {reason}", online: "آنلاین", unscheduled: "زمانی تعیین نشده است"},
	"uk": {reason: "\n\nПричина: {reason}", online: "онлайн", unscheduled: "не заплановано"},
}

// timeFormat is how a notice gives a time: a date and a time of day in Swedish time, written
// the same in every language.
const timeFormat = "2006-01-02 15:04"

// Facts are what a notice's text tells, its placeholders filled.
type Facts struct {
	Title, TitleEn, Organiser, Place string
	Online                           bool
	When, Next                       *time.Time
	Reason                           string
}

// Language picks the language a newcomer is written to: the one they chose when notices exist
// in it, else the first of their native languages that they exist in, else "" (Swedish followed
// by English).
func Language(preferred *string, native []string) string {
	if preferred != nil && texts[*preferred] != nil {
		return *preferred
	}
	for _, l := range native {
		if texts[l] != nil {
			return l
		}
	}
	return ""
}

// Render writes a notice of kind in language (see [Language]; "" for Swedish and English) and
// returns the language it is written in, its subject and its body.
func Render(kind partnernet.NoticeKind, language string, f Facts) (lang, subject, body string) {
	if language == "" || texts[language] == nil {
		s, b := render(kind, "sv", f)
		_, eb := render(kind, "en", f)
		return "sv", s, b + "\n\n—\n\n" + eb
	}
	s, b := render(kind, language, f)
	return language, s, b
}

// render fills the template of kind in a language of Languages.
func render(kind partnernet.NoticeKind, language string, f Facts) (subject, body string) {
	t, w := texts[language][kind], phrases[language]
	title := f.Title
	if language != "sv" && f.TitleEn != "" {
		title = f.TitleEn
	}
	place := f.Place
	if f.Online {
		place = w.online
	}
	reason := ""
	if strings.TrimSpace(f.Reason) != "" {
		reason = strings.ReplaceAll(w.reason, "{reason}", strings.TrimSpace(f.Reason))
	}
	fill := strings.NewReplacer("{title}", title, "{organiser}", f.Organiser, "{when}", when(f.When, w),
		"{next}", when(f.Next, w), "{place}", place, "{reason}", reason)
	return fill.Replace(t.subject), fill.Replace(t.body)
}

// when formats a time of a notice in Swedish time, or says that none is scheduled.
func when(t *time.Time, w words) string {
	if t == nil {
		return w.unscheduled
	}
	return t.In(partnernet.Stockholm).Format(timeFormat)
}
