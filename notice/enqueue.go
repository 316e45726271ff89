package notice

import (
	"context"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/store"
)

// Enqueue writes the notices of drafts to the outbox in tx, the transaction of the change that
// causes them, so that the change and its notices commit together or not at all: each rendered
// in its newcomer's language ([Language]), with a pending delivery per channel. A draft whose
// DedupKey was written before (a change retried, a reminder written by another replica) is left
// out, and so is one to a newcomer whose data was erased or merged into another record. It
// returns the notices written.
func Enqueue(ctx context.Context, tx *store.Store, drafts []partnernet.NoticeDraft) ([]partnernet.Notice, error) {
	if len(drafts) == 0 {
		return nil, nil
	}
	var newcomerIDs, orgIDs, municipalityIDs []int64
	for _, d := range drafts {
		newcomerIDs = append(newcomerIDs, d.NewcomerID)
		orgIDs = append(orgIDs, d.Activity.OrganiserID)
		if d.Activity.MunicipalityID != nil {
			municipalityIDs = append(municipalityIDs, *d.Activity.MunicipalityID)
		}
	}
	recipients, err := tx.NoticeRecipients(ctx, newcomerIDs)
	if err != nil {
		return nil, err
	}
	byNewcomer := make(map[int64]store.NoticeRecipient, len(recipients))
	for _, r := range recipients {
		byNewcomer[r.NewcomerID] = r
	}
	orgs, err := tx.OrganisationGetMany(ctx, orgIDs)
	if err != nil {
		return nil, err
	}
	orgNames := make(map[int64]string, len(orgs))
	for _, o := range orgs {
		orgNames[o.ID] = o.Name
	}
	municipalities, err := tx.MunicipalityGetMany(ctx, municipalityIDs)
	if err != nil {
		return nil, err
	}
	municipalityNames := make(map[int64]string, len(municipalities))
	for _, m := range municipalities {
		municipalityNames[m.ID] = m.Name
	}
	notices := make([]partnernet.Notice, 0, len(drafts))
	for _, d := range drafts {
		r, ok := byNewcomer[d.NewcomerID]
		if !ok {
			continue
		}
		a := d.Activity
		f := Facts{Title: a.Title, TitleEn: a.TitleEn, Organiser: orgNames[a.OrganiserID], Online: a.Online,
			Place: placeOf(a, municipalityNames), When: d.Occurrence, Next: d.Next, Reason: d.Reason}
		lang, subject, body := Render(d.Kind, Language(r.Preferred, r.Native), f)
		activityID := a.ID
		notices = append(notices, partnernet.Notice{
			NewcomerID: d.NewcomerID, ActivityID: &activityID, Kind: d.Kind, OccurrenceStartsAt: d.Occurrence,
			Language: lang, Subject: clip(subject, 300), Body: clip(body, 5000), DedupKey: d.DedupKey,
		})
	}
	return tx.NoticeInsert(ctx, notices)
}

// placeOf says where an activity in a place takes place: its address and municipality.
func placeOf(a partnernet.Activity, municipalities map[int64]string) string {
	municipality := ""
	if a.MunicipalityID != nil {
		municipality = municipalities[*a.MunicipalityID]
	}
	switch {
	case a.Address != nil && municipality != "":
		return *a.Address + ", " + municipality
	case a.Address != nil:
		return *a.Address
	}
	return municipality
}

// clip shortens s to at most n characters.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
