// Package seed loads the demo network: the real partners of Partnership Skåne (the 33
// municipalities, the agencies, universities and associations of DOMAIN.md, with the programmes
// they take part in) plus clearly synthetic newcomers, activities and consent records.
//
// Synthetic data is deterministic: the same [Options] give the same rows. Each row is made by a
// generator seeded with the options' seed and the row's index, so a row can be made again
// without keeping the others, and large data sets ([Options] with 150,000 newcomers) stream into
// PostgreSQL with COPY. Synthetic names end in "(syntetisk)" so no one mistakes them for people.
package seed
