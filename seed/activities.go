package seed

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/partnerskap-skane/partnernet"
)

// nadActivity is a kind of NAD activity associations in Skåne run, in Swedish and English.
type nadActivity struct {
	title, titleEn, description, descriptionEn string
	category                                   partnernet.ActivityCategory
	groups                                     []partnernet.TargetGroup
}

var everyone = []partnernet.TargetGroup{partnernet.TargetEveryone}

// nadActivities are the NAD activities the demo network publishes.
var nadActivities = []nadActivity{
	{"Språkcafé", "Language café", "Öva svenska över en kopp kaffe med volontärer. Alla nivåer är välkomna.",
		"Practise Swedish over a cup of coffee with volunteers. All levels welcome.", partnernet.ActivityLanguagePractice, everyone},
	{"Samtalsgrupp på lätt svenska", "Conversation group in easy Swedish", "Vi pratar om vardagen, arbete och fritid på lätt svenska.",
		"We talk about everyday life, work and leisure in easy Swedish.", partnernet.ActivityLanguagePractice, everyone},
	{"Fotboll för alla", "Football for everyone", "Spontanfotboll med föreningens tränare. Skor och västar finns att låna.",
		"Drop-in football with the club's coaches. Shoes and bibs to borrow.", partnernet.ActivitySports,
		[]partnernet.TargetGroup{partnernet.TargetYouth, partnernet.TargetMen}},
	{"Simskola för kvinnor", "Swimming lessons for women", "Simundervisning med kvinnlig instruktör i stängd hall.",
		"Swimming lessons with a female instructor in a closed pool.", partnernet.ActivitySports,
		[]partnernet.TargetGroup{partnernet.TargetWomen}},
	{"Cykelskola för vuxna", "Cycling school for adults", "Lär dig cykla och trafikregler i lugn takt.",
		"Learn to ride a bicycle and the rules of the road at a calm pace.", partnernet.ActivitySports,
		[]partnernet.TargetGroup{partnernet.TargetWomen, partnernet.TargetEveryone}},
	{"Promenadgrupp", "Walking group", "Gemensam promenad i närområdet, cirka fem kilometer.",
		"A shared walk in the neighbourhood, about five kilometres.", partnernet.ActivityHealth,
		[]partnernet.TargetGroup{partnernet.TargetSeniors, partnernet.TargetEveryone}},
	{"Hälsoträff", "Health meeting", "Samtal om hälsa, vården i Sverige och egenvård med hälsokommunikatör.",
		"Talks on health, Swedish health care and self-care with a health communicator.", partnernet.ActivityHealth, everyone},
	{"Föräldragrupp", "Parenting group", "Samtal om föräldraskap i ett nytt land, skolan och barns rättigheter.",
		"Talks on parenting in a new country, school and children's rights.", partnernet.ActivityParenting,
		[]partnernet.TargetGroup{partnernet.TargetParents}},
	{"Familjelördag", "Family Saturday", "Lek, fika och pyssel för hela familjen.",
		"Games, coffee and crafts for the whole family.", partnernet.ActivityParenting,
		[]partnernet.TargetGroup{partnernet.TargetFamilies, partnernet.TargetChildren}},
	{"Körsång", "Choir singing", "Vi sjunger svenska och internationella sånger tillsammans.",
		"We sing Swedish and international songs together.", partnernet.ActivityCulture, everyone},
	{"Bibliotekets berättarstund", "Library story time", "Berättelser på flera språk för barn och föräldrar.",
		"Stories in several languages for children and parents.", partnernet.ActivityCulture,
		[]partnernet.TargetGroup{partnernet.TargetChildren, partnernet.TargetParents}},
	{"Så fungerar Sverige", "How Sweden works", "Samhällsorientering om myndigheter, rättigheter och skyldigheter.",
		"Civic orientation on authorities, rights and duties.", partnernet.ActivityCivicOrientation, everyone},
	{"Jobbklubb", "Job club", "Hjälp med CV, personligt brev och intervjuträning.",
		"Help with CVs, cover letters and interview practice.", partnernet.ActivityWorkAndStudy,
		[]partnernet.TargetGroup{partnernet.TargetYouth, partnernet.TargetEveryone}},
	{"Läxhjälp", "Homework help", "Volontärer hjälper barn och unga med skolarbetet.",
		"Volunteers help children and young people with schoolwork.", partnernet.ActivityWorkAndStudy,
		[]partnernet.TargetGroup{partnernet.TargetChildren, partnernet.TargetYouth}},
	{"Stickcafé", "Knitting café", "Handarbete och samtal i gemenskap.",
		"Handicrafts and conversation together.", partnernet.ActivitySocialMeetingPlace,
		[]partnernet.TargetGroup{partnernet.TargetWomen, partnernet.TargetSeniors}},
	{"Matlagning från världens kök", "Cooking from the world's kitchens", "Vi lagar och äter mat från deltagarnas hemländer.",
		"We cook and eat dishes from the participants' home countries.", partnernet.ActivitySocialMeetingPlace, everyone},
	{"Odlingsgrupp", "Gardening group", "Odla grönsaker i föreningens trädgård genom säsongen.",
		"Grow vegetables in the association's garden through the season.", partnernet.ActivitySocialMeetingPlace, everyone},
}

// otherTemplates are title beginnings of the WELCOME and SHK programmes.
var otherTemplates = map[partnernet.ProgrammeCode][]nadActivity{
	partnernet.ProgrammeWelcome: {
		{"Välkommen till biblioteket", "Welcome to the library", "Ett besök på biblioteket med guide.", "A guided visit to the library.",
			partnernet.ActivityCivicOrientation, everyone},
		{"Besök på vårdcentralen", "Visit to the health centre", "Så fungerar vårdcentralen och 1177.", "How the health centre and 1177 work.",
			partnernet.ActivityHealth, everyone},
		{"Möt föreningslivet", "Meet the associations", "Föreningar i kommunen presenterar sig.", "The municipality's associations present themselves.",
			partnernet.ActivitySocialMeetingPlace, everyone},
	},
	partnernet.ProgrammeSHK: {
		{"Samhällsorientering", "Civic orientation", "Samhällsorientering på modersmålet.", "Civic orientation in the mother tongue.",
			partnernet.ActivityCivicOrientation, everyone},
		{"Hälsokommunikation", "Health communication", "Hälsokommunikation på modersmålet.", "Health communication in the mother tongue.",
			partnernet.ActivityHealth, everyone},
	},
}

// activityLanguages are the languages most spoken by newcomers in Skåne, with the Swedish name
// used in titles.
var activityLanguages = []struct{ code, sv string }{
	{"ar", "arabiska"}, {"prs", "dari"}, {"ti", "tigrinja"}, {"so", "somaliska"}, {"uk", "ukrainska"},
	{"fa", "persiska"}, {"ku", "kurdiska"}, {"en", "engelska"}, {"sv", "svenska"},
}

// seats are approximate coordinates of the municipalities' main towns.
var seats = map[string][2]float64{
	"1214": {55.914, 13.109}, "1230": {55.642, 13.206}, "1231": {55.637, 13.087}, "1233": {55.473, 13.019},
	"1256": {56.147, 14.124}, "1257": {56.283, 13.282}, "1260": {56.083, 12.917}, "1261": {55.792, 13.111},
	"1262": {55.672, 13.070}, "1263": {55.508, 13.236}, "1264": {55.476, 13.500}, "1265": {55.629, 13.706},
	"1266": {55.850, 13.662}, "1267": {55.937, 13.543}, "1270": {55.544, 13.954}, "1272": {56.073, 14.466},
	"1273": {56.380, 13.995}, "1275": {56.138, 13.395}, "1276": {56.133, 13.135}, "1277": {56.133, 12.943},
	"1278": {56.426, 12.848}, "1280": {55.605, 13.004}, "1281": {55.705, 13.191}, "1282": {55.870, 12.830},
	"1283": {56.046, 12.695}, "1284": {56.200, 12.557}, "1285": {55.839, 13.304}, "1286": {55.430, 13.820},
	"1287": {55.376, 13.157}, "1290": {56.029, 14.156}, "1291": {55.556, 14.350}, "1292": {56.243, 12.862},
	"1293": {56.159, 13.766},
}

// weekdays are the RRULE days activities recur on.
var weekdays = []string{"MO", "TU", "WE", "TH", "FR", "SA", "SU"}

// describeActivity fills in the HSDS fields of a synthetic activity: texts in Swedish and
// English, category, languages, target groups, place, a weekly schedule in Europe/Stockholm time
// (some with an exception), capacity, cost and contact. It draws from r after the draws
// activity already made, so the rest of the row stays as it was, and returns the activity's
// translations into Arabic, Dari, Persian, Somali, Tigrinya and Ukrainian (translations.go),
// which draw nothing.
func (g *generator) describeActivity(r *rand.Rand, a *partnernet.Activity, programme partnernet.ProgrammeCode, place, municipality string, i int) []partnernet.ActivityTranslation {
	templates := nadActivities
	if t, ok := otherTemplates[programme]; ok {
		templates = t
	}
	t := pick(r, templates)
	lang := pick(r, activityLanguages)
	a.Title = fmt.Sprintf("%s på %s – %s", t.title, lang.sv, place)
	a.TitleEn = fmt.Sprintf("%s in %s – %s", t.titleEn, langEn[lang.code], place)
	a.Description = t.description
	a.DescriptionEn = t.descriptionEn
	a.Category, a.TargetGroups = t.category, t.groups
	a.Languages = []string{lang.code}
	if lang.code != "sv" {
		a.Languages = append(a.Languages, "sv")
	}
	if r.IntN(3) == 0 {
		a.Accessibility = "Entré utan trappsteg, hörslinga. / Step-free entrance, hearing loop."
	}
	if place == "online" {
		a.Online = true
		u := fmt.Sprintf("https://meet.example.org/nad-%d", i+1)
		a.OnlineURL = &u
	} else if municipality != "" {
		seat := seats[municipality]
		lat, lon := seat[0]+(r.Float64()-0.5)*0.02, seat[1]+(r.Float64()-0.5)*0.03
		a.Latitude, a.Longitude = &lat, &lon
		addr := fmt.Sprintf("%s %d, %s", pick(r, streets), 1+r.IntN(60), place)
		a.Address = &addr
	}
	// Weekly, in the evening or on a weekend afternoon, for a term starting around the
	// reference time; one in five skips its third week.
	day := r.IntN(7)
	hour := 17 + r.IntN(3)
	if day >= 5 {
		hour = 11 + r.IntN(4)
	}
	first := time.Date(referenceTime.Year(), referenceTime.Month(), referenceTime.Day(), hour, 0, 0, 0, partnernet.Stockholm).
		AddDate(0, 0, r.IntN(56)-28)
	for first.Weekday() != time.Weekday((day+1)%7) {
		first = first.AddDate(0, 0, 1)
	}
	rule := fmt.Sprintf("FREQ=WEEKLY;BYDAY=%s;COUNT=%d", weekdays[day], 6+r.IntN(10))
	a.Schedule = partnernet.Schedule{StartsAt: &first, DurationMinutes: 60 + 30*r.IntN(4), RRule: &rule}
	if r.IntN(5) == 0 {
		a.Schedule.ExDates = []time.Time{first.AddDate(0, 0, 14)}
	}
	if r.IntN(2) == 0 {
		c := 10 + 5*r.IntN(7)
		a.Capacity = &c
	}
	if r.IntN(6) == 0 {
		a.CostSEK = 20 * (1 + r.IntN(5))
		a.CostNote = "Fika ingår. / Coffee included."
	}
	email := fmt.Sprintf("nad%d@example.invalid", i+1)
	a.ContactEmail = &email
	if programme == partnernet.ProgrammeNAD && r.IntN(5) == 0 && len(g.net.recipients) > 0 {
		co := g.net.orgIDs[pick(r, g.net.recipients)]
		if co != a.OrganiserID {
			a.CoOrganiserIDs = []int64{co}
		}
	}
	if a.Status != partnernet.ActivityDraft {
		published := a.CreatedAt.Add(time.Hour)
		a.PublishedAt = &published
	}
	if a.Status == partnernet.ActivityCancelled {
		a.CancelledAt = &a.UpdatedAt
	}
	return translateActivity(t, lang.code, place)
}

// langEn names the activity languages in English.
var langEn = map[string]string{
	"ar": "Arabic", "prs": "Dari", "ti": "Tigrinya", "so": "Somali", "uk": "Ukrainian", "fa": "Persian",
	"ku": "Kurdish", "en": "English", "sv": "Swedish",
}

// streets are common Swedish street names for synthetic addresses.
var streets = []string{"Storgatan", "Kyrkogatan", "Järnvägsgatan", "Skolgatan", "Parkgatan", "Torggatan", "Folkets husgatan"}
