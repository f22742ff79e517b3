package refserver

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"time"

	"github.com/scimconform/scimconform/refserver/scimerr"
)

// cursorCodec makes and checks RFC 9865 cursors. A cursor is stateless:
// base64url (unreserved characters only) of the offset of the page, the
// issue time and a fingerprint of the query, authenticated with a
// per-server random key so that clients cannot forge or alter it.
type cursorCodec struct {
	key []byte
	now func() time.Time
}

const (
	cursorVersion = 1
	cursorBody    = 1 + 4 + 8 + 8 // version, offset, issued, fingerprint
	cursorMAC     = 16
)

func newCursorCodec(now func() time.Time) *cursorCodec {
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	return &cursorCodec{key: key, now: now}
}

// fingerprint identifies the result set a cursor walks: endpoint, filter and
// sort. Other parameters (attributes, count) may change between pages.
func fingerprint(endpoint, filter, sortBy, sortOrder string) uint64 {
	h := sha256.Sum256([]byte(endpoint + "\x00" + filter + "\x00" + sortBy + "\x00" + sortOrder))
	return binary.BigEndian.Uint64(h[:8])
}

// encode returns the cursor of the page starting at offset.
func (c *cursorCodec) encode(offset int, fp uint64) string {
	buf := make([]byte, cursorBody, cursorBody+cursorMAC)
	buf[0] = cursorVersion
	binary.BigEndian.PutUint32(buf[1:5], uint32(offset))
	binary.BigEndian.PutUint64(buf[5:13], uint64(c.now().Unix()))
	binary.BigEndian.PutUint64(buf[13:21], fp)
	buf = append(buf, c.mac(buf)[:cursorMAC]...)
	return base64.RawURLEncoding.EncodeToString(buf)
}

func (c *cursorCodec) mac(b []byte) []byte {
	m := hmac.New(sha256.New, c.key)
	m.Write(b)
	return m.Sum(nil)
}

// decode returns the offset a cursor points at. A forged, altered or
// foreign cursor is 400 invalidCursor; one older than CursorTimeout is 400
// expiredCursor (RFC 9865 §2.1).
func (c *cursorCodec) decode(cursor string, fp uint64) (int, error) {
	buf, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil || len(buf) != cursorBody+cursorMAC || buf[0] != cursorVersion {
		return 0, scimerr.BadRequest(scimerr.InvalidCursor, "cursor %q is not a cursor this server issued", cursor)
	}
	if !hmac.Equal(buf[cursorBody:], c.mac(buf[:cursorBody])[:cursorMAC]) {
		return 0, scimerr.BadRequest(scimerr.InvalidCursor, "cursor %q is not a cursor this server issued", cursor)
	}
	if binary.BigEndian.Uint64(buf[13:21]) != fp {
		return 0, scimerr.BadRequest(scimerr.InvalidCursor, "cursor belongs to a query with another endpoint, filter or sort")
	}
	issued := time.Unix(int64(binary.BigEndian.Uint64(buf[5:13])), 0)
	if c.now().Sub(issued) > CursorTimeout {
		return 0, scimerr.BadRequest(scimerr.ExpiredCursor, "cursor expired; cursors live %v", CursorTimeout)
	}
	return int(binary.BigEndian.Uint32(buf[1:5])), nil
}
