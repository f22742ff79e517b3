package reports

import (
	"encoding/json"
	"reflect"
	"strings"
	"time"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/scimconform/scimconform/internal/scim"
)

// Redact replaces, in place, every string of doc with redact(string): the run
// metadata (target, configuration, notes, capabilities, cleanup lists...) and
// every string of ginkgo's report (spec texts, failure messages and locations,
// report entries such as warnings, infos and harness errors, captured
// output, progress reports). It is the one redaction pass between a run and
// everything that renders it (junit.xml, report.json, report.html, the
// summary), so a secret a server echoes into a message is caught like one in
// an exchange.
//
// Report entries holding a live scim.Transcript are left as they are: the
// client redacted them with the same redactor when it recorded them. Other
// entry values are replaced by their redacted JSON form (what report.json
// stores anyway). A nil redact leaves doc unchanged.
func Redact(doc *Document, redact func(string) string) {
	if doc == nil || redact == nil {
		return
	}
	redactValue(reflect.ValueOf(doc).Elem(), redact, 0)
}

// maxRedactDepth bounds the walk (ginkgo's report has no cycles; this is a
// guard, far deeper than any report).
const maxRedactDepth = 64

var (
	entryValueType = reflect.TypeFor[types.ReportEntryValue]()
	timeType       = reflect.TypeFor[time.Time]()
)

// redactValue walks v, replacing every settable string.
func redactValue(v reflect.Value, redact func(string) string, depth int) {
	if depth > maxRedactDepth {
		return
	}
	depth++
	switch v.Kind() {
	case reflect.String:
		if v.CanSet() {
			if s := v.String(); s != "" {
				v.SetString(redact(s))
			}
		}
	case reflect.Pointer:
		if !v.IsNil() {
			redactValue(v.Elem(), redact, depth)
		}
	case reflect.Interface:
		if v.IsNil() || !v.CanSet() {
			return
		}
		c := reflect.New(v.Elem().Type()).Elem()
		c.Set(v.Elem())
		redactValue(c, redact, depth)
		v.Set(c)
	case reflect.Struct:
		switch v.Type() {
		case timeType:
			return
		case entryValueType:
			if v.CanSet() {
				v.Set(reflect.ValueOf(redactEntryValue(v.Interface().(types.ReportEntryValue), redact)))
			}
			return
		}
		for i := range v.NumField() {
			if f := v.Field(i); f.CanSet() {
				redactValue(f, redact, depth)
			}
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			redactValue(v.Index(i), redact, depth)
		}
	case reflect.Map:
		if v.IsNil() {
			return
		}
		iter := v.MapRange()
		for iter.Next() {
			c := reflect.New(v.Type().Elem()).Elem()
			c.Set(iter.Value())
			redactValue(c, redact, depth)
			v.SetMapIndex(iter.Key(), c)
		}
	}
}

// redactEntryValue redacts a report entry's value. A live transcript was
// redacted when recorded and keeps its type (the writers render it); any
// other value becomes its JSON form with every string redacted, and its
// representation is redacted.
func redactEntryValue(ev types.ReportEntryValue, redact func(string) string) types.ReportEntryValue {
	raw := ev.GetRawValue()
	if _, ok := raw.(scim.Transcript); ok {
		return ev
	}
	if raw == nil && ev.AsJSON == "" {
		ev.Representation = redact(ev.Representation)
		return ev
	}
	data, err := json.Marshal(ev)
	if err != nil {
		return types.ReportEntryValue{Representation: redact(ev.String())}
	}
	var wire struct{ AsJSON, Representation string }
	if json.Unmarshal(data, &wire) != nil {
		return types.ReportEntryValue{Representation: redact(ev.String())}
	}
	var v any
	dec := json.NewDecoder(strings.NewReader(wire.AsJSON))
	dec.UseNumber()
	if err := dec.Decode(&v); err == nil {
		redactValue(reflect.ValueOf(&v).Elem(), redact, 0)
		if b, err := json.Marshal(v); err == nil {
			wire.AsJSON = string(b)
		}
	} else {
		wire.AsJSON = "null"
	}
	wire.Representation = redact(wire.Representation)
	data, _ = json.Marshal(wire)
	var out types.ReportEntryValue
	if out.UnmarshalJSON(data) != nil {
		return types.ReportEntryValue{Representation: wire.Representation}
	}
	return out
}
