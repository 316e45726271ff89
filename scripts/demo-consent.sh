#!/usr/bin/env bash
# Shows the consent rules at work against a running `partnernet dev` (docs/privacy.md: "Consent in six
# requests"). A coordinator of Malmö reads a newcomer's contact data on the municipality's public
# task, records the newcomer's consent that lets ABF see their identity and languages for activity
# participation, and ABF's publisher then reads the identity but gets CONSENT_REQUIRED for the
# contact data, which the consent does not cover.
#
#   scripts/demo-consent.sh [http://127.0.0.1:8080]
set -euo pipefail
cd "$(dirname "$0")/.."
url="${1:-http://127.0.0.1:8080}/graphql"
pn() { go run ./cmd/partnernet "$@"; }

# gql TOKEN PURPOSE QUERY: posts QUERY and prints the response.
gql() {
  local body
  body=$(printf '{"query":%s}' "$(printf '%s' "$3" | sed 's/\\/\\\\/g; s/"/\\"/g; s/^/"/; s/$/"/')")
  curl -sS "$url" -H "Authorization: Bearer $1" -H "Partnernet-Purpose: $2" \
    -H 'Content-Type: application/json' -d "$body"
  echo
}

malmo=$(pn token --org malmo --role coordinator)
abf=$(pn token --org abf --role publisher)

echo "== 1. Malmö's coordinator lists a newcomer Malmö registered, with contact data (public task)"
out=$(gql "$malmo" ESTABLISHMENT_COORDINATION \
  '{ newcomers(first: 1, filter: { municipalityCodes: ["1280"] }) { edges { node { id identity { displayName } contact { phone email } } } } }')
echo "$out"
newcomer=$(grep -o '"id":"[^"]*"' <<<"$out" | head -1 | cut -d'"' -f4)

echo "== 2. ABF's publisher asks for the newcomer: no consent names ABF yet, so the record stays hidden"
gql "$abf" ACTIVITY_PARTICIPATION "{ node(id: \"$newcomer\") { id } }"

echo "== 3. Malmö records the newcomer's consent: ABF may see identity and languages for activity participation"
abf_id=$(gql "$abf" ACTIVITY_PARTICIPATION '{ organisation(slug: "abf") { id } }' | grep -o '"id":"[^"]*"' | cut -d'"' -f4)
gql "$malmo" ESTABLISHMENT_COORDINATION "mutation { recordConsent(input: { newcomerId: \"$newcomer\", recipientIds: [\"$abf_id\"], purposes: [ACTIVITY_PARTICIPATION], dataCategories: [IDENTITY, LANGUAGES], method: DIGITAL, noticeLanguage: \"ar\", noticeVersion: \"2026-1\" }) { id state } }"

echo "== 4. ABF's publisher reads the identity (released on consent) and the contact data (CONSENT_REQUIRED)"
gql "$abf" ACTIVITY_PARTICIPATION "{ node(id: \"$newcomer\") { ... on Newcomer { identity { displayName } contact { phone } } } }"

echo "== 5. The newcomer sees who read their data, and withdraws every consent that names ABF"
number=$(printf '%s' "$newcomer" | base64 -d | cut -d: -f2)
self=$(pn token --role newcomer --newcomer "$number")
gql "$self" "" '{ viewer { newcomer { accessLog(first: 3) { edges { node { organisation { slug } action categories decision reason } } } } } }'
active=$(gql "$self" "" "{ viewer { newcomer { consents(first: 100, filter: { states: [ACTIVE], recipientIds: [\"$abf_id\"] }) { edges { node { id } } } } } }")
for consent in $(grep -o '"id":"[^"]*"' <<<"$active" | cut -d'"' -f4); do
  gql "$self" "" "mutation { withdrawConsent(input: { consentId: \"$consent\" }) { id state } }"
done

echo "== 6. The very next request: ABF sees nothing of the newcomer any more"
gql "$abf" ACTIVITY_PARTICIPATION "{ node(id: \"$newcomer\") { ... on Newcomer { identity { displayName } } } }"
