package hsds

import (
	"crypto/sha256"
	"fmt"

	"github.com/google/uuid"
)

// Namespace is the namespace of the UUIDs the HSDS API names its objects by.
var Namespace = uuid.MustParse("4b0f5a3c-9d2e-4f60-a1b2-c3d4e5f60718")

// ID returns the stable UUID of the HSDS object of kind named by parts ("service", 42 →
// service:42): a name-based UUIDv8 (RFC 9562, appendix B.2), the first 16 bytes of the SHA-256
// of [Namespace]'s bytes followed by the name, with the version and variant bits set. The
// database computes the same for services and organisations (hsds_uuid in migration 00010), so
// that they are found by id.
func ID(kind string, parts ...any) string {
	name := kind
	for _, p := range parts {
		name += fmt.Sprintf(":%v", p)
	}
	h := sha256.New()
	h.Write(Namespace[:])
	h.Write([]byte(name))
	var u uuid.UUID
	copy(u[:], h.Sum(nil))
	u[6] = u[6]&0x0f | 0x80
	u[8] = u[8]&0x3f | 0x80
	return u.String()
}

// The kinds of HSDS object and the names their ids are made of.
const (
	kindService           = "service"             // service:<activity id>
	kindOrganization      = "organization"        // organization:<organisation id>
	kindProgram           = "program"             // program:<programme id>
	kindLocation          = "location"            // location:<activity id>
	kindServiceAtLocation = "service_at_location" // service_at_location:<activity id>
	kindAddress           = "address"             // address:<activity id>
	kindSchedule          = "schedule"            // schedule:<activity id>:<n>
	kindServiceArea       = "service_area"        // service_area:<activity id>:<municipality code>
	kindLanguage          = "language"            // language:<activity id>:<code>
	kindCostOption        = "cost_option"         // cost_option:<activity id>
	kindContact           = "contact"             // contact:<activity id>
	kindPhone             = "phone"               // phone:<activity id>
	kindAttribute         = "attribute"           // attribute:<activity id>:<taxonomy>:<term code>
	kindAccessibility     = "accessibility"       // accessibility:<activity id>
	kindTaxonomy          = "taxonomy"            // taxonomy:<taxonomy name>
	kindTaxonomyTerm      = "taxonomy_term"       // taxonomy_term:<taxonomy name>:<term code>
	// organization_identifier:<organisation id>:kommunkod
	kindOrganizationIdentifier = "organization_identifier"
)
