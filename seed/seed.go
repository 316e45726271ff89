package seed

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/store"
)

// Options size the synthetic part of the demo network.
type Options struct {
	// Newcomers is how many synthetic newcomers to register.
	Newcomers int
	// Activities is how many synthetic activities to publish.
	Activities int
	// Consents is how many synthetic consent records to make; 0 makes 13 for every 10 newcomers.
	Consents int
	// Enrolments is how many synthetic enrolments to make, spread evenly over the activities that
	// are not drafts, each a distinct newcomer per activity; 0 makes none.
	Enrolments int
	// Seed seeds the generator: the same seed gives the same data.
	Seed uint64
}

// DefaultOptions are the options of the demo network `partnernet dev` loads.
func DefaultOptions() Options { return Options{Newcomers: 300, Activities: 150, Seed: 1} }

// consents returns the number of consent records to make.
func (o Options) consents() int {
	if o.Consents > 0 || o.Newcomers == 0 {
		return o.Consents
	}
	return o.Newcomers * 13 / 10
}

// Summary counts what Load loaded.
type Summary struct {
	Municipalities, Programmes, Organisations, Activities, Newcomers, ConsentRecords, ConsentEvents, Enrolments int
}

// progressThreshold is the number of synthetic rows from which Load shows a progress bar.
const progressThreshold = 20_000

// referenceTime anchors every synthetic date, so data does not depend on the day it is made.
var referenceTime = time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)

// IsEmpty reports whether the database holds no organisation yet.
func IsEmpty(ctx context.Context, st *store.Store) (bool, error) { return isEmpty(ctx, st.DB()) }

// Load loads the network and the synthetic data into an empty database, in one transaction.
// A database that already holds organisations is refused with partnernet.ErrConflict. When
// progress is not nil and the data set is large, a progress bar is drawn on it.
func Load(ctx context.Context, st *store.Store, opts Options, progress io.Writer) (Summary, error) {
	if opts.Newcomers < 0 || opts.Activities < 0 || opts.Consents < 0 || opts.Enrolments < 0 {
		return Summary{}, partnernet.InputError("options", "counts must not be negative")
	}
	if opts.Enrolments > 0 && (opts.Newcomers == 0 || opts.Activities == 0) {
		return Summary{}, partnernet.InputError("options", "enrolments need newcomers and activities")
	}
	var sum Summary
	err := st.InTx(ctx, func(tx *store.Store) error {
		db := tx.DB() // the bulk SQL below is the seed's own (bulk.go), in the same transaction
		empty, err := isEmpty(ctx, db)
		if err != nil {
			return err
		}
		if !empty {
			return partnernet.Errorf(partnernet.CodeConflict, "the database already holds a network; load into an empty database")
		}
		net, err := loadNetwork(ctx, db)
		if err != nil {
			return err
		}
		sum = net.summary
		g := &generator{opts: opts, net: net}
		bar := newBar(progress, opts.Activities+opts.Newcomers+opts.consents()+opts.Enrolments)
		defer bar.Finish()
		acts := make([]enrolable, 0, opts.Activities)
		activityIDs, err := activityCopy(ctx, db, opts.Activities, func(i int) (partnernet.Activity, []partnernet.ActivityTranslation) {
			_ = bar.Add(1)
			a, texts := g.activity(i)
			if a.Status != partnernet.ActivityDraft {
				acts = append(acts, enrolable{index: i, capacity: a.Capacity, createdAt: a.CreatedAt})
			}
			return a, texts
		})
		if err != nil {
			return err
		}
		newcomerIDs, err := newcomerCopy(ctx, db, opts.Newcomers, func(i int) partnernet.Newcomer {
			_ = bar.Add(1)
			return g.newcomer(i)
		})
		if err != nil {
			return err
		}
		var contacts []partnernet.NewcomerContact
		var langs []partnernet.LanguageSkill
		var health []partnernet.NewcomerHealth
		for i, id := range newcomerIDs {
			c, l, h := g.personal(i, id)
			contacts, langs = append(contacts, c), append(langs, l...)
			if h != nil {
				health = append(health, *h)
			}
		}
		if err := newcomerDataCopy(ctx, db, contacts, langs, health); err != nil {
			return err
		}
		consents := opts.consents()
		consentIDs, err := consentRecordCopy(ctx, db, consents, func(i int) partnernet.ConsentRecord {
			c, _ := g.consent(i, newcomerIDs)
			return c
		})
		if err != nil {
			return err
		}
		var events []partnernet.ConsentEvent
		for i := range consents {
			_, history := g.consent(i, newcomerIDs)
			for _, e := range history {
				e.ConsentRecordID = consentIDs[i]
				events = append(events, e)
			}
			_ = bar.Add(1)
		}
		if err := consentEventCopy(ctx, db, events); err != nil {
			return err
		}
		if opts.Enrolments > 0 {
			if err := loadEnrolments(ctx, db, g, acts, activityIDs, newcomerIDs, bar); err != nil {
				return err
			}
		}
		if err := loadCourses(ctx, tx, g, newcomerIDs); err != nil {
			return err
		}
		if err := loadAdvice(ctx, tx, g, newcomerIDs); err != nil {
			return err
		}
		if err := loadJourneys(ctx, db, g, newcomerIDs); err != nil {
			return err
		}
		sum.Activities, sum.Newcomers, sum.ConsentRecords, sum.ConsentEvents = opts.Activities, opts.Newcomers, consents, len(events)
		sum.Enrolments = opts.Enrolments
		return nil
	})
	if err != nil {
		return Summary{}, fmt.Errorf("seed: %w", err)
	}
	return sum, nil
}

// newBar returns a progress bar over total rows on w, or a silent one when w is nil or the load
// is small.
func newBar(w io.Writer, total int) *progressbar.ProgressBar {
	if w == nil || total < progressThreshold {
		return progressbar.DefaultSilent(int64(total))
	}
	return progressbar.NewOptions(total, progressbar.OptionSetWriter(w), progressbar.OptionSetDescription("loading synthetic data"),
		progressbar.OptionShowCount(), progressbar.OptionThrottle(200*time.Millisecond), progressbar.OptionSetWidth(30),
		progressbar.OptionOnCompletion(func() { fmt.Fprintln(w) }))
}

// network is the reference network as loaded, with the ids the synthetic data refers to.
type network struct {
	summary          Summary
	municipalityIDs  map[string]int64 // by code
	programmeIDs     map[partnernet.ProgrammeCode]int64
	partners         []Partner
	orgIDs           []int64 // parallel to partners
	municipalityOrgs []int   // indexes into partners of the municipalities' organisations
	weights          []int   // how many newcomers each municipality organisation registers, relatively
	organisers       []int   // indexes into partners of those that organise activities
	recipients       []int   // indexes into partners that receive shared data
}

// orgIDsBySlug returns the ids of the network's organisations by slug.
func (n *network) orgIDsBySlug() map[string]int64 {
	ids := make(map[string]int64, len(n.partners))
	for i, p := range n.partners {
		ids[p.Organisation.Slug] = n.orgIDs[i]
	}
	return ids
}

// loadNetwork inserts the municipalities, programmes, organisations and their participations.
func loadNetwork(ctx context.Context, db store.DBTX) (*network, error) {
	n := &network{partners: Partners(), programmeIDs: map[partnernet.ProgrammeCode]int64{}}
	var err error
	if n.municipalityIDs, err = municipalityInsertMany(ctx, db, Municipalities); err != nil {
		return nil, err
	}
	programmeIDs, err := programmeInsertMany(ctx, db, Programmes)
	if err != nil {
		return nil, err
	}
	for code, id := range programmeIDs {
		n.programmeIDs[partnernet.ProgrammeCode(code)] = id
	}
	if err := publicTextCopy(ctx, db, programmeTranslations(n.programmeIDs)); err != nil {
		return nil, err
	}
	orgs := make([]partnernet.Organisation, len(n.partners))
	for i, p := range n.partners {
		orgs[i] = p.Organisation
		home := n.municipalityIDs[p.Home]
		orgs[i].HomeMunicipalityID = &home
	}
	slugIDs, err := organisationInsertMany(ctx, db, orgs)
	if err != nil {
		return nil, err
	}
	var participations []partnernet.ProgrammeParticipation
	for i, p := range n.partners {
		id := slugIDs[p.Organisation.Slug]
		n.orgIDs = append(n.orgIDs, id)
		codes := make([]partnernet.ProgrammeCode, 0, len(p.Programmes))
		for code := range p.Programmes {
			codes = append(codes, code)
		}
		slices.Sort(codes)
		for _, code := range codes {
			participations = append(participations, partnernet.ProgrammeParticipation{
				OrganisationID: id, ProgrammeID: n.programmeIDs[code], Role: p.Programmes[code],
			})
		}
		switch p.Organisation.Kind {
		case partnernet.KindMunicipality:
			n.municipalityOrgs = append(n.municipalityOrgs, i)
			n.weights = append(n.weights, populationWeight[p.Organisation.Slug]+1)
			n.organisers = append(n.organisers, i)
		case partnernet.KindAssociation, partnernet.KindAdultEducationAssociation, partnernet.KindSportsFederation:
			// Civic organisers publish most activities: list them thrice.
			n.organisers = append(n.organisers, i, i, i)
			n.recipients = append(n.recipients, i)
		case partnernet.KindUniversity, partnernet.KindStateAgency:
			n.recipients = append(n.recipients, i)
		}
	}
	if err := organisationProgrammeInsertMany(ctx, db, participations); err != nil {
		return nil, err
	}
	n.summary = Summary{
		Municipalities: len(Municipalities), Programmes: len(Programmes), Organisations: len(orgs),
	}
	return n, nil
}

// populationWeight makes the larger municipalities register more newcomers (plus one each).
var populationWeight = map[string]int{
	"malmo": 24, "helsingborg": 10, "lund": 8, "kristianstad": 6, "landskrona": 5, "trelleborg": 4,
	"hassleholm": 3, "eslov": 2, "ystad": 2, "angelholm": 2,
}

// generator makes synthetic rows, each from a random source seeded by the options' seed and the
// row's kind and index.
type generator struct {
	opts Options
	net  *network
}

// Row kinds, mixed into each row's seed.
const (
	kindActivity uint64 = iota + 1
	kindNewcomer
	kindConsent
	kindPersonal
	kindEnrolment
)

func (g *generator) rng(kind uint64, i int) *rand.Rand {
	return rand.New(rand.NewPCG(g.opts.Seed, kind<<48|uint64(i)))
}

func pick[T any](r *rand.Rand, s []T) T { return s[r.IntN(len(s))] }

// activity makes the i-th synthetic activity.
func (g *generator) activity(i int) (partnernet.Activity, []partnernet.ActivityTranslation) {
	r := g.rng(kindActivity, i)
	orgIndex := pick(r, g.net.organisers)
	p := g.net.partners[orgIndex]
	var programmes []partnernet.ProgrammeCode
	for _, code := range []partnernet.ProgrammeCode{partnernet.ProgrammeNAD, partnernet.ProgrammeWelcome, partnernet.ProgrammeSHK} {
		if _, ok := p.Programmes[code]; ok {
			programmes = append(programmes, code)
		}
	}
	slices.Sort(programmes)
	programme := pick(r, programmes)
	a := partnernet.Activity{
		OrganiserID: g.net.orgIDs[orgIndex],
		ProgrammeID: g.net.programmeIDs[programme],
		Status:      partnernet.ActivityPublished,
	}
	var place, municipality string
	switch x := r.IntN(10); {
	case x == 0 && programme == partnernet.ProgrammeNAD: // online
		place = "online"
	case x < 6:
		id := g.net.municipalityIDs[p.Home]
		a.MunicipalityID = &id
		place, municipality = municipalityName(p.Home), p.Home
	default:
		m := pick(r, Municipalities)
		id := g.net.municipalityIDs[m.Code]
		a.MunicipalityID = &id
		place, municipality = m.Name, m.Code
	}
	switch x := r.IntN(20); {
	case x < 2:
		a.Status = partnernet.ActivityDraft
	case x == 2:
		a.Status = partnernet.ActivityCancelled
	case x == 3:
		a.Status = partnernet.ActivityFinished
	}
	a.CreatedAt = referenceTime.Add(-time.Duration(r.IntN(700*24)) * time.Hour)
	a.UpdatedAt = a.CreatedAt.Add(time.Duration(r.IntN(30*24)) * time.Hour)
	texts := g.describeActivity(r, &a, programme, place, municipality, i)
	return a, texts
}

// municipalityName returns the name of the municipality with an official code.
func municipalityName(code string) string {
	for _, m := range Municipalities {
		if m.Code == code {
			return m.Name
		}
	}
	return code
}

var (
	givenNames = []string{
		"Amina", "Omar", "Fatima", "Yusuf", "Mariam", "Ahmad", "Hana", "Dawit", "Selam", "Olena", "Mykola",
		"Nour", "Khalid", "Leyla", "Abdi", "Hodan", "Samir", "Zahra", "Tesfay", "Iryna", "Reza", "Shirin",
	}
	familyNames = []string{
		"Testsson", "Exempelsdotter", "Provner", "Demoulou", "Fiktiv", "Syntesi", "Modellén", "Övningsson",
	}
)

// newcomer makes the i-th synthetic newcomer.
func (g *generator) newcomer(i int) partnernet.Newcomer {
	r := g.rng(kindNewcomer, i)
	orgIndex := g.weighted(r)
	p := g.net.partners[orgIndex]
	n := partnernet.Newcomer{
		ControllerID:   g.net.orgIDs[orgIndex],
		MunicipalityID: g.net.municipalityIDs[p.Home],
		DisplayName:    fmt.Sprintf("%s %s (syntetisk) %d", pick(r, givenNames), pick(r, familyNames), i+1),
		RegisteredAt:   referenceTime.Add(-time.Duration(r.IntN(1000*24)) * time.Hour),
	}
	if r.IntN(10) < 9 {
		year := 1950 + r.IntN(70)
		n.BirthYear = &year
	}
	if r.IntN(10) < 8 {
		gender := pick(r, genders)
		n.Gender = &gender
	}
	// Registered within two months of arrival in Sweden.
	arrival := n.RegisteredAt.AddDate(0, 0, -r.IntN(60)).Truncate(24 * time.Hour)
	n.ArrivalDate = &arrival
	return n
}

var (
	genders      = []partnernet.Gender{partnernet.GenderFemale, partnernet.GenderMale, partnernet.GenderOther}
	proficiences = partnernet.Proficiency("").Values()
	healthNotes  = []string{
		"Synthetic note: follow-up with the health centre about a chronic condition.",
		"Synthetic note: needs an interpreter at health appointments.",
		"Synthetic note: referred to trauma-informed support.",
	}
)

// personal makes the contact data, languages and (for some) health notes of the i-th
// synthetic newcomer, whose id is id. Phone numbers are in the range reserved for fiction and
// addresses use the reserved .invalid domain.
func (g *generator) personal(i int, id int64) (partnernet.NewcomerContact, []partnernet.LanguageSkill, *partnernet.NewcomerHealth) {
	r := g.rng(kindPersonal, i)
	phone := fmt.Sprintf("+46 70 174 %02d %02d", r.IntN(100), r.IntN(100))
	email := fmt.Sprintf("newcomer%d@example.invalid", i+1)
	address := fmt.Sprintf("Syntetgatan %d, 211 %02d Exempelstad", 1+r.IntN(99), r.IntN(100))
	contact := partnernet.NewcomerContact{NewcomerID: id, Phone: &phone, Email: &email, PostalAddress: &address}
	var langs []partnernet.LanguageSkill
	for k, lang := range subset(r, languages[2:], 1+r.IntN(2)) {
		prof := partnernet.ProficiencyNative
		if k > 0 {
			prof = partnernet.Proficiency(pick(r, proficiences))
		}
		langs = append(langs, partnernet.LanguageSkill{NewcomerID: id, Language: lang, Proficiency: prof})
	}
	langs = append(langs, partnernet.LanguageSkill{NewcomerID: id, Language: "sv",
		Proficiency: partnernet.Proficiency(pick(r, proficiences[:2]))})
	var health *partnernet.NewcomerHealth
	if r.IntN(5) == 0 {
		health = &partnernet.NewcomerHealth{NewcomerID: id, Notes: pick(r, healthNotes), UpdatedAt: referenceTime}
	}
	return contact, langs, health
}

// weighted picks a municipality organisation by its newcomer weight.
func (g *generator) weighted(r *rand.Rand) int {
	total := 0
	for _, w := range g.net.weights {
		total += w
	}
	x := r.IntN(total)
	for k, w := range g.net.weights {
		if x < w {
			return g.net.municipalityOrgs[k]
		}
		x -= w
	}
	return g.net.municipalityOrgs[len(g.net.municipalityOrgs)-1]
}

var (
	purposes = partnernet.Purpose("").Values()
	// categories are those the random consents cover, as before OUTCOMES and WELLBEING: the
	// journeys record their own consents to statistics of WELLBEING (journeys.go).
	categories = []string{"IDENTITY", "CONTACT", "FAMILY", "LANGUAGES", "HEALTH", "BACKGROUND", "PLAN", "PARTICIPATION"}
	languages  = []string{"sv", "en", "ar", "fa", "prs", "ti", "so", "uk", "ku"}
	methods    = []partnernet.ConsentMethod{partnernet.MethodWritten, partnernet.MethodVerbal, partnernet.MethodDigital}
)

// consent makes the i-th synthetic consent record and its history. The first records go one to
// each newcomer; the rest to newcomers at random.
func (g *generator) consent(i int, newcomerIDs []int64) (partnernet.ConsentRecord, []partnernet.ConsentEvent) {
	r := g.rng(kindConsent, i)
	k := i
	if k >= len(newcomerIDs) {
		k = r.IntN(len(newcomerIDs))
	}
	n := g.newcomer(k)
	c := partnernet.ConsentRecord{
		NewcomerID:     newcomerIDs[k],
		ControllerID:   n.ControllerID,
		LegalBasis:     partnernet.BasisConsent,
		Method:         pick(r, methods),
		NoticeLanguage: pick(r, languages),
		NoticeVersion:  "2025.1",
	}
	seen := map[int64]bool{}
	for range 1 + r.IntN(3) {
		if id := g.net.orgIDs[pick(r, g.net.recipients)]; !seen[id] {
			seen[id] = true
			c.RecipientIDs = append(c.RecipientIDs, id)
		}
	}
	slices.Sort(c.RecipientIDs)
	for _, p := range subset(r, purposes, 1+r.IntN(3)) {
		c.Purposes = append(c.Purposes, partnernet.Purpose(p))
	}
	for _, cat := range subset(r, categories, 1+r.IntN(4)) {
		c.DataCategories = append(c.DataCategories, partnernet.DataCategory(cat))
	}
	c.ValidFrom = n.RegisteredAt.Add(time.Duration(1+r.IntN(30*24)) * time.Hour)
	c.RecordedAt = c.ValidFrom
	if r.IntN(10) < 7 {
		until := c.ValidFrom.AddDate(1+r.IntN(2), 0, 0)
		c.ValidUntil = &until
	}
	events := []partnernet.ConsentEvent{{Kind: partnernet.ConsentGiven, OccurredAt: c.ValidFrom}}
	end := c.ValidUntil
	if renewed := c.ValidFrom.AddDate(0, 6, 0); r.IntN(5) == 0 && renewed.Before(referenceTime) {
		renewal := partnernet.ConsentEvent{Kind: partnernet.ConsentRenewed, OccurredAt: renewed}
		if c.ValidUntil != nil {
			until := c.ValidUntil.AddDate(1, 0, 0)
			renewal.ValidUntil, end = &until, &until
		}
		events = append(events, renewal)
	}
	last := events[len(events)-1].OccurredAt
	switch {
	case r.IntN(10) == 0 && last.Before(referenceTime):
		at := last.Add(time.Duration(r.Int64N(int64(referenceTime.Sub(last)))))
		events = append(events, partnernet.ConsentEvent{Kind: partnernet.ConsentWithdrawn, OccurredAt: at})
	case end != nil && end.Before(referenceTime):
		events = append(events, partnernet.ConsentEvent{Kind: partnernet.ConsentExpired, OccurredAt: *end})
	}
	return c, events
}

// subset returns n distinct values of s, in s's order.
func subset(r *rand.Rand, s []string, n int) []string {
	idx := r.Perm(len(s))[:min(n, len(s))]
	slices.Sort(idx)
	out := make([]string, len(idx))
	for i, j := range idx {
		out[i] = s[j]
	}
	return out
}

// enrolable is what enrolments need of an activity that is not a draft.
type enrolable struct {
	index     int
	capacity  *int
	createdAt time.Time
}

// loadEnrolments copies the synthetic enrolments: the i-th goes to the (i mod m)-th of the m
// activities that are not drafts, at position i/m+1, for a newcomer distinct within that
// activity (a stride coprime with the number of newcomers). One in twenty is cancelled; the
// others fill the activity's places in arrival order, then its waitlist.
func loadEnrolments(ctx context.Context, db store.DBTX, g *generator, acts []enrolable, activityIDs, newcomerIDs []int64, bar *progressbar.ProgressBar) error {
	n, m, k := g.opts.Enrolments, len(acts), len(newcomerIDs)
	if m == 0 {
		return partnernet.InputError("options", "enrolments need activities that are not drafts")
	}
	if (n+m-1)/m > k {
		return partnernet.InputError("options", "more enrolments per activity than newcomers")
	}
	stride := 7919 % k
	for gcd(stride, k) != 1 || stride == 0 {
		stride++
	}
	live := make([]int, m) // enrolled so far, per activity
	return enrolmentCopy(ctx, db, n, func(i int) partnernet.Enrolment {
		_ = bar.Add(1)
		r := g.rng(kindEnrolment, i)
		j, position := i%m, i/m
		a := acts[j]
		e := partnernet.Enrolment{
			ActivityID: activityIDs[a.index],
			NewcomerID: newcomerIDs[(a.index*104729+position*stride)%k],
			Status:     partnernet.EnrolmentEnrolled,
			Position:   int64(position + 1),
			EnrolledBy: "seed",
			CreatedAt:  a.createdAt.Add(time.Duration(2+position) * time.Hour),
		}
		switch {
		case r.IntN(20) == 0:
			e.Status = partnernet.EnrolmentCancelled
		case a.capacity != nil && live[j] >= *a.capacity:
			e.Status = partnernet.EnrolmentWaitlisted
		default:
			live[j]++
		}
		e.UpdatedAt = e.CreatedAt
		return e
	})
}

// gcd is the greatest common divisor of a and b.
func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}
