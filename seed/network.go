package seed

import "github.com/partnerskap-skane/partnernet"

// Programmes are the partnership's methods, as DOMAIN.md describes them.
var Programmes = []partnernet.Programme{
	{
		Code: partnernet.ProgrammeSHK, Name: "Civic and health communication", NameSv: "Samhälls- och hälsokommunikation",
		Description: "A course in the newcomer's mother tongue soon after arrival: mandatory civic orientation plus " +
			"health communication, given by trained civic and health communicators who share language and migrant background.",
	},
	{
		Code: partnernet.ProgrammeWelcome, Name: "Welcome to Skåne", NameSv: "Välkommen till Skåne",
		Description: "Visits to arenas of the local community, organised by municipalities and associations as part of SHK.",
	},
	{
		Code: partnernet.ProgrammeNAD, Name: "Network–Activity–Participation", NameSv: "Nätverk–Aktivitet–Delaktighet",
		Description: "Associations and adult-education associations publish activities (language practice, sports, " +
			"culture, health, parenting) that newcomers join voluntarily, often as part of their establishment plan.",
	},
	{
		Code: partnernet.ProgrammeMILSA, Name: "Migration and health platform", NameSv: "MILSA – plattform för migration och hälsa",
		Description: "Researchers and practitioners develop knowledge together and evaluate the partnership's methods, " +
			"with five universities.",
	},
	{
		Code: partnernet.ProgrammeRADRUM, Name: "RÅDRUM advice service", NameSv: "RÅDRUM rådgivning",
		Description: "A free, impartial, confidential, volunteer-run advice desk: one point of contact that helps " +
			"newcomers navigate Swedish society, its rights, duties and authorities.",
	},
	{
		Code: partnernet.ProgrammeMYPATH, Name: "MY PATH", NameSv: "Min väg",
		Description: "A supervisor gives an individual or family tailored support: needs and goals broken into a series " +
			"of activities planned with relevant partners, followed up and evaluated.",
	},
}

// Municipalities are the 33 municipalities of Skåne with their official codes.
var Municipalities = []partnernet.Municipality{
	{Code: "1214", Name: "Svalöv"}, {Code: "1230", Name: "Staffanstorp"}, {Code: "1231", Name: "Burlöv"},
	{Code: "1233", Name: "Vellinge"}, {Code: "1256", Name: "Östra Göinge"}, {Code: "1257", Name: "Örkelljunga"},
	{Code: "1260", Name: "Bjuv"}, {Code: "1261", Name: "Kävlinge"}, {Code: "1262", Name: "Lomma"},
	{Code: "1263", Name: "Svedala"}, {Code: "1264", Name: "Skurup"}, {Code: "1265", Name: "Sjöbo"},
	{Code: "1266", Name: "Hörby"}, {Code: "1267", Name: "Höör"}, {Code: "1270", Name: "Tomelilla"},
	{Code: "1272", Name: "Bromölla"}, {Code: "1273", Name: "Osby"}, {Code: "1275", Name: "Perstorp"},
	{Code: "1276", Name: "Klippan"}, {Code: "1277", Name: "Åstorp"}, {Code: "1278", Name: "Båstad"},
	{Code: "1280", Name: "Malmö"}, {Code: "1281", Name: "Lund"}, {Code: "1282", Name: "Landskrona"},
	{Code: "1283", Name: "Helsingborg"}, {Code: "1284", Name: "Höganäs"}, {Code: "1285", Name: "Eslöv"},
	{Code: "1286", Name: "Ystad"}, {Code: "1287", Name: "Trelleborg"}, {Code: "1290", Name: "Kristianstad"},
	{Code: "1291", Name: "Simrishamn"}, {Code: "1292", Name: "Ängelholm"}, {Code: "1293", Name: "Hässleholm"},
}

// Partner is an organisation of the network with where it is based and the programmes it takes
// part in.
type Partner struct {
	Organisation partnernet.Organisation
	// Home is the official code of the municipality it is based in.
	Home string
	// Programmes maps the programmes it takes part in to its role there.
	Programmes map[partnernet.ProgrammeCode]partnernet.ParticipationRole
}

// municipalityOrganisation describes a municipality's own organisation.
type municipalityOrganisation struct {
	code, slug, name, website string
}

// municipalityOrganisations are the 33 municipalities as organisations, with their official
// names ("Malmö stad", "Lunds kommun").
var municipalityOrganisations = []municipalityOrganisation{
	{"1214", "svalov", "Svalövs kommun", "https://www.svalov.se"},
	{"1230", "staffanstorp", "Staffanstorps kommun", "https://staffanstorp.se"},
	{"1231", "burlov", "Burlövs kommun", "https://burlov.se"},
	{"1233", "vellinge", "Vellinge kommun", "https://vellinge.se"},
	{"1256", "ostra-goinge", "Östra Göinge kommun", "https://www.ostragoinge.se"},
	{"1257", "orkelljunga", "Örkelljunga kommun", "https://www.orkelljunga.se"},
	{"1260", "bjuv", "Bjuvs kommun", "https://bjuv.se"},
	{"1261", "kavlinge", "Kävlinge kommun", "https://www.kavlinge.se"},
	{"1262", "lomma", "Lomma kommun", "https://lomma.se"},
	{"1263", "svedala", "Svedala kommun", "https://www.svedala.se"},
	{"1264", "skurup", "Skurups kommun", "https://www.skurup.se"},
	{"1265", "sjobo", "Sjöbo kommun", "https://www.sjobo.se"},
	{"1266", "horby", "Hörby kommun", "https://www.horby.se"},
	{"1267", "hoor", "Höörs kommun", "https://www.hoor.se"},
	{"1270", "tomelilla", "Tomelilla kommun", "https://www.tomelilla.se"},
	{"1272", "bromolla", "Bromölla kommun", "https://www.bromolla.se"},
	{"1273", "osby", "Osby kommun", "https://www.osby.se"},
	{"1275", "perstorp", "Perstorps kommun", "https://www.perstorp.se"},
	{"1276", "klippan", "Klippans kommun", "https://www.klippan.se"},
	{"1277", "astorp", "Åstorps kommun", "https://astorp.se"},
	{"1278", "bastad", "Båstads kommun", "https://www.bastad.se"},
	{"1280", "malmo", "Malmö stad", "https://malmo.se"},
	{"1281", "lund", "Lunds kommun", "https://lund.se"},
	{"1282", "landskrona", "Landskrona stad", "https://www.landskrona.se"},
	{"1283", "helsingborg", "Helsingborgs stad", "https://helsingborg.se"},
	{"1284", "hoganas", "Höganäs kommun", "https://www.hoganas.se"},
	{"1285", "eslov", "Eslövs kommun", "https://eslov.se"},
	{"1286", "ystad", "Ystads kommun", "https://www.ystad.se"},
	{"1287", "trelleborg", "Trelleborgs kommun", "https://www.trelleborg.se"},
	{"1290", "kristianstad", "Kristianstads kommun", "https://www.kristianstad.se"},
	{"1291", "simrishamn", "Simrishamns kommun", "https://www.simrishamn.se"},
	{"1292", "angelholm", "Ängelholms kommun", "https://www.engelholm.se"},
	{"1293", "hassleholm", "Hässleholms kommun", "https://www.hassleholm.se"},
}

// myPathMunicipalities ran the testbed that combined RÅDRUM and MY PATH.
var myPathMunicipalities = map[string]bool{"malmo": true, "landskrona": true, "kristianstad": true}

// Shorthands for the participation maps below.
const (
	lead    = partnernet.RoleLead
	partner = partnernet.RolePartner
)

// otherPartners are the network's partners besides the municipalities.
var otherPartners = []Partner{
	org("lansstyrelsen-skane", "Länsstyrelsen Skåne", "Länsstyrelsen", partnernet.KindCountyBoard, partnernet.SectorPublic,
		"1280", "https://www.lansstyrelsen.se/skane",
		map[partnernet.ProgrammeCode]partnernet.ParticipationRole{"SHK": lead, "WELCOME": lead, "NAD": partner, "MILSA": partner, "RADRUM": partner, "MYPATH": partner}),
	org("region-skane", "Region Skåne", "", partnernet.KindRegion, partnernet.SectorPublic,
		"1290", "https://www.skane.se", map[partnernet.ProgrammeCode]partnernet.ParticipationRole{"SHK": partner, "MILSA": partner}),
	org("arbetsformedlingen", "Arbetsförmedlingen", "AF", partnernet.KindStateAgency, partnernet.SectorPublic,
		"1280", "https://arbetsformedlingen.se", map[partnernet.ProgrammeCode]partnernet.ParticipationRole{"SHK": partner, "NAD": partner}),
	org("migrationsverket", "Migrationsverket", "", partnernet.KindStateAgency, partnernet.SectorPublic,
		"1280", "https://www.migrationsverket.se", map[partnernet.ProgrammeCode]partnernet.ParticipationRole{"SHK": partner}),
	org("forsakringskassan", "Försäkringskassan", "", partnernet.KindStateAgency, partnernet.SectorPublic,
		"1280", "https://www.forsakringskassan.se", map[partnernet.ProgrammeCode]partnernet.ParticipationRole{"SHK": partner}),
	org("malmo-universitet", "Malmö universitet", "MAU", partnernet.KindUniversity, partnernet.SectorAcademic,
		"1280", "https://mau.se", map[partnernet.ProgrammeCode]partnernet.ParticipationRole{"MILSA": lead}),
	org("lunds-universitet", "Lunds universitet", "LU", partnernet.KindUniversity, partnernet.SectorAcademic,
		"1281", "https://www.lu.se", map[partnernet.ProgrammeCode]partnernet.ParticipationRole{"MILSA": partner}),
	org("hogskolan-kristianstad", "Högskolan Kristianstad", "HKR", partnernet.KindUniversity, partnernet.SectorAcademic,
		"1290", "https://www.hkr.se", map[partnernet.ProgrammeCode]partnernet.ParticipationRole{"MILSA": partner}),
	org("im", "IM – Individuell Människohjälp", "IM", partnernet.KindAssociation, partnernet.SectorCivic,
		"1281", "https://manniskohjalp.se", map[partnernet.ProgrammeCode]partnernet.ParticipationRole{"RADRUM": lead, "NAD": partner}),
	org("radda-barnen", "Rädda Barnen", "", partnernet.KindAssociation, partnernet.SectorCivic,
		"1280", "https://www.raddabarnen.se", map[partnernet.ProgrammeCode]partnernet.ParticipationRole{"MYPATH": lead, "NAD": partner}),
	org("roda-korset", "Svenska Röda Korset", "Röda Korset", partnernet.KindAssociation, partnernet.SectorCivic,
		"1280", "https://www.rodakorset.se", map[partnernet.ProgrammeCode]partnernet.ParticipationRole{"NAD": partner, "WELCOME": partner}),
	org("abf", "ABF Skåne", "ABF", partnernet.KindAdultEducationAssociation, partnernet.SectorCivic,
		"1280", "https://www.abf.se", map[partnernet.ProgrammeCode]partnernet.ParticipationRole{"NAD": partner, "WELCOME": partner}),
	org("studieframjandet", "Studiefrämjandet Skåne", "", partnernet.KindAdultEducationAssociation, partnernet.SectorCivic,
		"1280", "https://www.studieframjandet.se", map[partnernet.ProgrammeCode]partnernet.ParticipationRole{"NAD": partner}),
	org("vuxenskolan", "Studieförbundet Vuxenskolan Skåne", "SV", partnernet.KindAdultEducationAssociation, partnernet.SectorCivic,
		"1281", "https://www.sv.se", map[partnernet.ProgrammeCode]partnernet.ParticipationRole{"NAD": partner, "WELCOME": partner}),
	org("bilda", "Bilda Syd", "Bilda", partnernet.KindAdultEducationAssociation, partnernet.SectorCivic,
		"1281", "https://www.bilda.nu", map[partnernet.ProgrammeCode]partnernet.ParticipationRole{"NAD": partner}),
	org("ibn-rushd", "Ibn Rushd Studieförbund", "Ibn Rushd", partnernet.KindAdultEducationAssociation, partnernet.SectorCivic,
		"1280", "https://www.ibnrushd.se", map[partnernet.ProgrammeCode]partnernet.ParticipationRole{"NAD": partner, "SHK": partner}),
	org("sensus", "Sensus studieförbund", "Sensus", partnernet.KindAdultEducationAssociation, partnernet.SectorCivic,
		"1280", "https://www.sensus.se", map[partnernet.ProgrammeCode]partnernet.ParticipationRole{"NAD": partner}),
	org("medborgarskolan", "Medborgarskolan Syd", "Medborgarskolan", partnernet.KindAdultEducationAssociation, partnernet.SectorCivic,
		"1281", "https://www.medborgarskolan.se", map[partnernet.ProgrammeCode]partnernet.ParticipationRole{"NAD": partner}),
	org("rf-sisu-skane", "RF-SISU Skåne", "RF-SISU", partnernet.KindSportsFederation, partnernet.SectorCivic,
		"1280", "https://www.rfsisu.se", map[partnernet.ProgrammeCode]partnernet.ParticipationRole{"NAD": partner}),
	org("natverket-ideburen-sektor-skane", "NÄTVERKET Idéburen sektor Skåne", "NÄTVERKET", partnernet.KindUmbrella, partnernet.SectorCivic,
		"1280", "https://natverketskane.se", map[partnernet.ProgrammeCode]partnernet.ParticipationRole{"NAD": lead}),
}

// org builds a Partner.
func org(slug, name, short string, kind partnernet.OrganisationKind, sector partnernet.Sector, home, website string,
	programmes map[partnernet.ProgrammeCode]partnernet.ParticipationRole,
) Partner {
	o := partnernet.Organisation{Slug: slug, Name: name, Kind: kind, Sector: sector, Website: &website}
	if short != "" {
		o.ShortName = &short
	}
	return Partner{Organisation: o, Home: home, Programmes: programmes}
}

// Partners returns every organisation of the network: the 33 municipalities, then the other
// partners.
func Partners() []Partner {
	out := make([]Partner, 0, len(municipalityOrganisations)+len(otherPartners))
	for _, m := range municipalityOrganisations {
		programmes := map[partnernet.ProgrammeCode]partnernet.ParticipationRole{"SHK": partner, "WELCOME": partner}
		if myPathMunicipalities[m.slug] {
			programmes["MYPATH"] = partner
			programmes["RADRUM"] = partner
		}
		p := org(m.slug, m.name, "", partnernet.KindMunicipality, partnernet.SectorPublic, m.code, m.website, programmes)
		out = append(out, p)
	}
	return append(out, otherPartners...)
}
