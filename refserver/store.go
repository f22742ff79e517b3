package refserver

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"net/http"
	"reflect"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/scimconform/scimconform/refserver/fault"
	"github.com/scimconform/scimconform/refserver/scimerr"
)

// timeLayout renders dateTime values: RFC 3339 in UTC with milliseconds,
// fixed width so that string order is chronological.
const timeLayout = "2006-01-02T15:04:05.000Z"

// record is one stored resource. Records and their documents are never
// modified once stored: every change stores a new record, so readers may
// keep what they got without copying.
type record struct {
	id      string
	rt      *resourceType
	seq     uint64         // creation order
	doc     map[string]any // canonical document with schemas, id and meta
	version string         // meta.version and ETag, W/"n"
	pwHash  string         // salted password hash, "" when none
	// stale are the documents the record had before, kept only under
	// the filter-index-stale-after-write fault (filters still match them).
	stale []map[string]any
}

// draft is the validated content of a create or a replacement, without
// id and meta. A nil password keeps the stored one.
type draft struct {
	doc      map[string]any
	password *string
	// truncateCreated re-stores meta.created without its milliseconds (the
	// replace-created-truncated fault; set on PUT drafts only).
	truncateCreated bool
}

// store is the in-memory, concurrency-safe resource store with optimistic
// versions. One mutex guards everything, so preconditions, uniqueness and
// the write they protect happen atomically.
type store struct {
	mu       sync.RWMutex
	byID     map[string]*record
	byType   map[string]*typeIndex      // resource type name -> listable records
	unique   map[string]string          // uniqueness key (see uniqueKeys) -> id
	memberOf map[string]map[string]bool // member id -> ids of the groups holding it
	seq      uint64
	ver      uint64
	base     string // BasePath, for meta.location and $ref
	now      func() time.Time
	faults   fault.Set
	// maxResources bounds len(byID); 0 means no bound.
	maxResources int
}

func newStore(base string, now func() time.Time, faults fault.Set) *store {
	return &store{
		byID:     map[string]*record{},
		byType:   map[string]*typeIndex{},
		unique:   map[string]string{},
		memberOf: map[string]map[string]bool{},
		base:     base,
		now:      now,
		faults:   faults,
	}
}

// get returns the current record of id if it is of type rt.
func (st *store) get(rt *resourceType, id string) (*record, bool) {
	st.mu.RLock()
	defer st.mu.RUnlock()
	rec, ok := st.byID[id]
	if !ok || rec.rt != rt {
		return nil, false
	}
	return rec, true
}

// scan returns the records of the given types accepted by keep, in
// creation order.
func (st *store) scan(rts []*resourceType, keep func(*record) bool) []*record {
	st.mu.RLock()
	var out []*record
	for _, rt := range rts {
		if ti := st.byType[rt.Name]; ti != nil {
			out = ti.appendMatching(out, keep)
		}
	}
	st.mu.RUnlock()
	if len(rts) > 1 {
		sort.SliceStable(out, func(i, j int) bool { return out[i].seq < out[j].seq })
	}
	return out
}

// findUnique returns the id of the resource of type rt whose unique
// attribute attr has the value v.
func (st *store) findUnique(rt *resourceType, attr, v string) (string, bool) {
	st.mu.RLock()
	defer st.mu.RUnlock()
	for _, a := range rt.unique {
		if strings.EqualFold(a.Name, attr) {
			id, ok := st.unique[st.uniqueKey(rt, a, v)]
			return id, ok
		}
	}
	return "", false
}

// location is the path of a resource; the HTTP layer makes it absolute.
func (st *store) location(rt *resourceType, id string) string {
	return st.base + rt.Endpoint + "/" + id
}

// nextVersion returns a new, never used version tag. Caller holds mu.
func (st *store) nextVersion() string {
	st.ver++
	return fmt.Sprintf(`W/"%d"`, st.ver)
}

// stamp builds the stored document of a record: the draft with id, schemas
// and meta. Caller holds mu.
func (st *store) stamp(rec *record, doc map[string]any, created, modified string) {
	doc["id"] = rec.id
	doc["meta"] = map[string]any{
		"resourceType": rec.rt.Name,
		"created":      created,
		"lastModified": modified,
		"location":     st.location(rec.rt, rec.id),
		"version":      rec.version,
	}
	rec.doc = doc
}

// put stores rec, replacing any previous version. Caller holds mu.
func (st *store) put(rec *record) {
	st.byID[rec.id] = rec
	ti := st.byType[rec.rt.Name]
	if ti == nil {
		ti = &typeIndex{slots: map[string]*slot{}}
		st.byType[rec.rt.Name] = ti
	}
	ti.put(rec)
}

// touch stores a copy of rec whose document is doc, with a new version and
// lastModified, keeping created. Caller holds mu.
func (st *store) touch(rec *record, doc map[string]any) *record {
	n := &record{id: rec.id, rt: rec.rt, seq: rec.seq, pwHash: rec.pwHash, version: st.nextVersion()}
	if st.faults.Has(FaultEtagVersionUnchanged) {
		n.version = rec.version
	}
	meta, _ := rec.doc["meta"].(map[string]any)
	created, _ := meta["created"].(string)
	modified := st.now().UTC().Format(timeLayout)
	if st.faults.Has(FaultWriteLastModifiedFrozen) || (st.faults.Has(FaultExtensionWriteNotTouched) && extensionOnlyChange(rec.doc, doc)) {
		modified, _ = meta["lastModified"].(string)
	}
	if st.faults.Has(FaultFilterIndexStale) {
		n.stale = append(rec.stale[:len(rec.stale):len(rec.stale)], rec.doc)
	}
	st.stamp(n, doc, created, modified)
	st.put(n)
	return n
}

// newID returns a random UUID (version 4).
func newID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// foldName is the case-insensitive comparison key of a userName.
func foldName(s string) string { return strings.ToLower(s) }

// hashPassword returns a salted SHA-256 hash; cleartext is never stored
// (RFC 7643 §9.2).
func hashPassword(pw string) string {
	var salt [16]byte
	_, _ = rand.Read(salt[:])
	sum := sha256.Sum256(append(salt[:], pw...))
	return hex.EncodeToString(salt[:]) + "$" + hex.EncodeToString(sum[:])
}

// passwordMatches reports whether pw hashes to the stored hash h.
func passwordMatches(h, pw string) bool {
	saltHex, sumHex, ok := strings.Cut(h, "$")
	salt, err1 := hex.DecodeString(saltHex)
	want, err2 := hex.DecodeString(sumHex)
	if !ok || err1 != nil || err2 != nil {
		return false
	}
	sum := sha256.Sum256(append(salt, pw...))
	return subtle.ConstantTimeCompare(sum[:], want) == 1
}

// extensionOnlyChange reports whether doc differs from old in extension
// attributes (and schemas) only: the extension-change-lastmodified-frozen
// fault.
func extensionOnlyChange(old, doc map[string]any) bool {
	core := func(d map[string]any) map[string]any {
		out := make(map[string]any, len(d))
		for k, v := range d {
			if !strings.HasPrefix(strings.ToLower(k), "urn:") && k != "schemas" {
				out[k] = v
			}
		}
		return out
	}
	return !sameContent(old, doc) && sameContent(core(old), core(doc))
}

// sameContent reports whether two documents hold the same attributes,
// ignoring id and meta.
func sameContent(a, b map[string]any) bool {
	count := 0
	for k, va := range a {
		if k == "id" || k == "meta" {
			continue
		}
		count++
		vb, ok := b[k]
		if !ok || !reflect.DeepEqual(va, vb) {
			return false
		}
	}
	for k := range b {
		if k != "id" && k != "meta" {
			count--
		}
	}
	return count == 0
}

func notFound(rt *resourceType, id string) error {
	return scimerr.New(http.StatusNotFound, "", "%s %q not found", rt.Name, id)
}
