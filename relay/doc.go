// Package relay implements the Relay conventions of the API: opaque global object IDs
// ([ToGlobalID], [FromGlobalID]) and cursor connections ([Connection], [Args]).
//
// # Global IDs
//
// A global ID is the base64url encoding of "Type:id". Clients must treat it as opaque; the
// encoding may change.
//
// # Connections
//
// List fields take first/after or last/before. [Args.Page] validates them (at most one of first
// and last, no negative sizes, a page of at most [MaxPageSize]) and turns them into a keyset
// [store.Page]; [NewConnection] shapes the rows the store returns into edges with cursors. A
// cursor is tied to the order it was made in: one from another orderBy is refused.
package relay
