package authz

import (
	"fmt"
	"strings"

	"github.com/partnerskap-skane/partnernet"
)

// PolicyTable renders the policy's release rules as Markdown, for the README: for each role, the
// purposes it may declare and, per purpose, the categories of newcomer data it may see of
// newcomers of other organisations (always under an active consent naming its organisation, the
// purpose and the category) and of its own organisation's newcomers (on a lawful basis other
// than consent, where the second table gives one). The README's copy is checked against it by
// a test, so the documentation cannot drift from the policy.
func (a *Authorizer) PolicyTable() (string, error) {
	var b strings.Builder
	b.WriteString("| role | may declare the purpose | and then see these categories of newcomer data |\n")
	b.WriteString("|---|---|---|\n")
	for _, role := range append(OrganisationRoles, RoleNewcomer) {
		p := Principal{Subject: "policy-table", Roles: []Role{role}}
		if role == RoleNewcomer {
			ok, err := a.allowed(p, NewcomerRecord, Read, noPurpose, scopeSelf)
			if err != nil {
				return "", err
			}
			if ok {
				b.WriteString("| newcomer | none needed | every category of their own data |\n")
			}
			continue
		}
		rows := 0
		for _, purpose := range (partnernet.Purpose("")).Values() {
			declare, err := a.allowed(p, PurposeObject, Declare, purpose, scopeOther)
			if err != nil {
				return "", err
			}
			if !declare {
				continue
			}
			var cats []string
			for _, c := range (partnernet.DataCategory("")).Values() {
				ok, err := a.allowed(p, CategoryObject(partnernet.DataCategory(c)), Read, purpose, scopeOther)
				if err != nil {
					return "", err
				}
				if ok {
					cats = append(cats, strings.ToLower(c))
				}
			}
			if len(cats) == 0 {
				cats = []string{"none (aggregates only)"}
			}
			fmt.Fprintf(&b, "| %s | %s | %s |\n", role, purpose, strings.Join(cats, ", "))
			rows++
		}
		if rows == 0 {
			fmt.Fprintf(&b, "| %s | none | none |\n", role)
		}
	}
	b.WriteString("\n| category | purpose | the controller's lawful basis without consent |\n")
	b.WriteString("|---|---|---|\n")
	for _, c := range (partnernet.DataCategory("")).Values() {
		for _, purpose := range (partnernet.Purpose("")).Values() {
			basis, err := a.controllerBasis(CategoryObject(partnernet.DataCategory(c)), partnernet.Purpose(purpose))
			if err != nil {
				return "", err
			}
			if basis != "" {
				fmt.Fprintf(&b, "| %s | %s | %s |\n", strings.ToLower(c), purpose, basis)
			}
		}
	}
	return b.String(), nil
}
