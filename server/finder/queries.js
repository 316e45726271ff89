// Every GraphQL document the finder sends, in one place. The page sends each as a persisted
// query (GET /graphql with its SHA-256 only); the server knows them from
// persisted-documents.json, which `go test ./server/ -run TestFinderDocuments -update-finder`
// writes from this file. Change a document here, then run that command and commit both.
//
// Texts (title, description) arrive in the reader's language, which every request names in
// its Accept-Language header; text { … } says which language each came in (a fallback when the
// activity has none in the reader's) and its direction. The labels of the values shown
// (categories, target groups, availability) come from Query.vocabulary in the same language.

/** A page of activities for the result list. */
export const FinderActivities = `query FinderActivities($first: Int!, $after: String, $filter: ActivityFilter, $orderBy: ActivityOrder) {
  activities(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges {
      node {
        id
        title
        description
        text { title { language direction fallback } description { language direction } }
        category
        languages
        availability
        location { online address latitude longitude }
        municipality { name }
        organiser { name }
        cost { free amountSek }
        nextOccurrences(first: 1) { startsAt endsAt }
      }
    }
  }
}`;

/** One activity, for its own view. */
export const FinderActivity = `query FinderActivity($id: ID!) {
  node(id: $id) {
    ... on Activity {
      id
      title
      description
      text {
        title { language direction fallback }
        description { language direction }
        accessibilityNote { text language direction }
        costNote { text language direction }
        applicationProcess { text language direction }
        interpretationServices { text language direction }
      }
      category
      languages
      targetGroups
      accessibility
      applicationProcess
      interpretationServices
      minAge
      maxAge
      availability
      status
      location { online onlineUrl address latitude longitude }
      municipality { name }
      organiser { name website }
      contact { name email phone }
      cost { free amountSek note }
      nextOccurrences(first: 6) { startsAt endsAt }
    }
  }
}`;

/** The municipalities, for the municipality filter. */
export const FinderMunicipalities = `query FinderMunicipalities {
  municipalities(first: 50) {
    edges { node { code name } }
  }
}`;

/** The labels of the values the page shows, in the reader's language. */
export const FinderVocabulary = `query FinderVocabulary {
  vocabulary {
    categories { value text { text } }
    targetGroups { value text { text } }
    placeAvailabilities { value text { text } }
  }
}`;

/** Every document above, by operation name. */
export const documents = { FinderActivities, FinderActivity, FinderMunicipalities, FinderVocabulary };
