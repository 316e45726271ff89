package statistics

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/analytics"
	"github.com/partnerskap-skane/partnernet/authz"
)

// AdviceStatistics returns the RÅDRUM statistics by desk, month and topic: the protected table
// of ADVICE_VISITS by those dimensions, so that it cannot be differenced against the analysts'
// aggregates, narrowed to the whole months (in Swedish time) from since's to the one before
// until, ordered by desk, month and topic. Refusals are UNAUTHENTICATED or FORBIDDEN; a period
// that is empty or longer than partnernet.MaxAdviceSpan is a BAD_USER_INPUT error on until.
func (s *Service) AdviceStatistics(ctx context.Context, since, until time.Time) ([]*partnernet.AdviceVisitCount, error) {
	if err := s.authz.Authorize(ctx, authz.AdviceStatistics, authz.Read, 0); err != nil {
		return nil, err
	}
	if !until.After(since) || until.Sub(since) > partnernet.MaxAdviceSpan {
		return nil, partnernet.InputError("until", "until must come after since, at most five years later")
	}
	t, err := s.protectedTable(ctx, analytics.AdviceVisits, analytics.DimMonth, analytics.DimTopic, analytics.DimDesk)
	if err != nil {
		return nil, err
	}
	first := since.In(partnernet.Stockholm).Format("2006-01")
	last := until.Add(-time.Nanosecond).In(partnernet.Stockholm).Format("2006-01")
	out := []*partnernet.AdviceVisitCount{}
	for _, c := range t.Cells { // keyed month, topic, desk
		if c.Key[0] < first || c.Key[0] > last {
			continue
		}
		desk, err := strconv.ParseInt(c.Key[2], 10, 64)
		if err != nil {
			return nil, fmt.Errorf("advice statistics: desk %q: %w", c.Key[2], err)
		}
		out = append(out, &partnernet.AdviceVisitCount{DeskID: desk, Month: c.Key[0], Topic: partnernet.AdviceTopic(c.Key[1]), Visits: c.Count})
	}
	slices.SortFunc(out, func(a, b *partnernet.AdviceVisitCount) int {
		if a.DeskID != b.DeskID {
			return cmp.Compare(a.DeskID, b.DeskID)
		}
		return strings.Compare(a.Month+string(a.Topic), b.Month+string(b.Topic))
	})
	return out, nil
}
