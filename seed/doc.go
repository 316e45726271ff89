// Package seed loads the demo network: the real partners of Partnership Skåne (the 33
// municipalities, the agencies, universities and associations of DOMAIN.md, with the programmes
// they take part in) plus clearly synthetic newcomers, activities and consent records.
//
// Synthetic data is deterministic: the same [Options] give the same rows. Each row is made by a
// generator seeded with the options' seed and the row's index, so a row can be made again
// without keeping the others, and large data sets ([Options] with 150,000 newcomers) stream into
// PostgreSQL with COPY. Synthetic names end in "(syntetisk)" so no one mistakes them for people.
//
// The seed owns its bulk SQL (bulk.go): the COPY loads and multi-row inserts the application
// never runs. They share the transaction of the [store.Store] Load is given, through
// [store.Store.DB], and pass their errors through [store.Translate]; what the seed writes the way
// the application does (advice desks, SHK courses and their sessions) goes through the store.
package seed
