package seed

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/store"
)

// The analytics demo data: enrolments and referrals, so that the MILSA analytics and the
// partner network have something to show. Enrolments cluster on a few popular activities and in
// the six months before referenceTime, so that many counts pass the suppression threshold and
// organisations share participants.
const (
	kindDemoEnrolment uint64 = 201 + iota
	kindDemoReferral

	demoPopularActivities = 14  // activities that draw most enrolments
	demoMonths            = 6   // months the demo enrolments and referrals spread over
	demoReferrals         = 260 // referrals between organisations
)

// demoReceivers are the organisations municipalities refer newcomers to most, with the service.
var demoReceivers = []struct{ slug, service string }{
	{"im", "Synthetic: RÅDRUM advice"},
	{"radda-barnen", "Synthetic: MY PATH support"},
	{"roda-korset", "Synthetic: family tracing and language café"},
	{"arbetsformedlingen", "Synthetic: establishment programme"},
	{"abf", "Synthetic: study circle in Swedish"},
	{"region-skane", "Synthetic: health examination"},
}

// referralStatuses are the outcomes of demo referrals, by frequency.
var referralStatuses = []partnernet.ReferralStatus{partnernet.ReferralCompleted, partnernet.ReferralCompleted,
	partnernet.ReferralCompleted, partnernet.ReferralAccepted, partnernet.ReferralAccepted, partnernet.ReferralDeclined,
	partnernet.ReferralSent, partnernet.ReferralCancelled}

// LoadAnalyticsDemo adds the analytics demo data to a database Load filled with the demo
// network: every newcomer enrolled in one to four published activities, mostly popular ones of
// one programme in one month, with their attendance at the first occurrences, and referrals
// from municipalities to the civic sector and agencies. The same seed gives the same data. `partnernet dev` and the analytics tests load it;
// other tests see the network without it.
func LoadAnalyticsDemo(ctx context.Context, st *store.Store, seed uint64) error {
	err := st.InTx(ctx, func(tx *store.Store) error {
		activities, newcomers, err := analyticsDemoTargets(ctx, tx.DB())
		if err != nil {
			return err
		}
		if len(activities) == 0 || len(newcomers) == 0 {
			return nil
		}
		rng := func(kind uint64, i int) *rand.Rand { return rand.New(rand.NewPCG(seed, kind<<48|uint64(i))) }
		popular := activities[:min(demoPopularActivities, len(activities))]
		positions := map[int64]int64{}
		var enrolments []partnernet.Enrolment
		for i, n := range newcomers {
			r := rng(kindDemoEnrolment, i)
			month := r.IntN(demoMonths)
			taken := map[int64]bool{}
			for range 1 + r.IntN(4) {
				a := pick(r, popular)
				if r.IntN(5) == 0 {
					a = pick(r, activities)
				}
				if taken[a.ID] {
					continue
				}
				taken[a.ID] = true
				positions[a.ID]++
				at := referenceTime.AddDate(0, -month-1, 2+r.IntN(25))
				enrolments = append(enrolments, partnernet.Enrolment{
					ActivityID: a.ID, NewcomerID: n.ID, Status: partnernet.EnrolmentEnrolled,
					Position: positions[a.ID], EnrolledBy: "seed", CreatedAt: at,
				})
			}
		}
		receivers := make([]int64, len(demoReceivers))
		for k, d := range demoReceivers {
			o, err := tx.OrganisationGetBySlug(ctx, d.slug)
			if err != nil {
				return fmt.Errorf("demo receiver %s: %w", d.slug, err)
			}
			receivers[k] = o.ID
		}
		var referrals []partnernet.Referral
		for i := range demoReferrals {
			r := rng(kindDemoReferral, i)
			n := newcomers[r.IntN(len(newcomers))]
			k := min(r.IntN(len(demoReceivers)), r.IntN(len(demoReceivers))) // the first receivers more often
			if receivers[k] == n.ControllerID {
				continue
			}
			service := demoReceivers[k].service
			at := referenceTime.AddDate(0, -r.IntN(demoMonths)-1, 2+r.IntN(25))
			referrals = append(referrals, partnernet.Referral{
				NewcomerID: n.ID, FromOrgID: n.ControllerID, ToOrgID: receivers[k], Service: &service,
				Purpose: partnernet.PurposeReferral, Status: pick(r, referralStatuses), CreatedBy: "seed",
				CreatedAt: at, UpdatedAt: at.Add(time.Duration(1+r.IntN(240)) * time.Hour),
			})
		}
		if err := analyticsDemoCopy(ctx, tx.DB(), enrolments, referrals); err != nil {
			return err
		}
		return analyticsDemoAttendance(ctx, tx.DB(), seed)
	})
	if err != nil {
		return fmt.Errorf("seed analytics demo: %w", err)
	}
	return nil
}
