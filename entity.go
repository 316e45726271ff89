package partnernet

// The types below are Apollo Federation entities: partners' subgraphs may extend them, keyed by
// their global ID (schema/federation.graphqls). IsEntity marks each for the generated _Entity
// union; it does nothing.

// IsEntity marks Organisation as a federation entity.
func (Organisation) IsEntity() {}

// IsEntity marks Municipality as a federation entity.
func (Municipality) IsEntity() {}

// IsEntity marks Programme as a federation entity.
func (Programme) IsEntity() {}

// IsEntity marks Activity as a federation entity.
func (Activity) IsEntity() {}

// IsEntity marks Newcomer as a federation entity.
func (Newcomer) IsEntity() {}
