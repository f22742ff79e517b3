package filter

import (
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/scimconform/scimconform/refserver/schema"
)

// op is an attribute operator of RFC 7644 §3.4.2.2 Table 3.
type op int

const (
	opEq op = iota
	opNe
	opCo
	opSw
	opEw
	opPr
	opGt
	opGe
	opLt
	opLe
)

var opNames = [...]string{"eq", "ne", "co", "sw", "ew", "pr", "gt", "ge", "lt", "le"}

func (o op) String() string { return opNames[o] }

// ordered reports gt, ge, lt and le.
func (o op) ordered() bool { return o >= opGt }

// substring reports co, sw and ew.
func (o op) substring() bool { return o == opCo || o == opSw || o == opEw }

// parseOp recognises an operator case-insensitively (§3.4.2.2: attribute
// operators are case insensitive).
func parseOp(s string) (op, bool) {
	for i, n := range opNames {
		if strings.EqualFold(s, n) {
			return op(i), true
		}
	}
	return 0, false
}

func isOperatorWord(s string) bool {
	_, ok := parseOp(s)
	return ok
}

// litKind is the JSON type of a comparison value (compValue).
type litKind int

const (
	litNone litKind = iota // pr has no value
	litString
	litNumber
	litBool
	litNull
)

var litKindNames = [...]string{"no value", "a string", "a number", "true or false", "null"}

// literal is a parsed compValue.
type literal struct {
	kind  litKind
	str   string // decoded string
	lower string // str in lower case, for case-insensitive comparison
	raw   string // source text of a number
	num   float64
	b     bool
	t     time.Time // the instant of a dateTime comparison
}

// value returns the literal as a JSON value (string, float64, bool, nil).
func (l literal) value() any {
	switch l.kind {
	case litString:
		return l.str
	case litNumber:
		return l.num
	case litBool:
		return l.b
	}
	return nil
}

func (l literal) write(b *strings.Builder) {
	switch l.kind {
	case litString:
		var sb strings.Builder
		enc := json.NewEncoder(&sb)
		enc.SetEscapeHTML(false)
		_ = enc.Encode(l.str) // encoding a string cannot fail
		b.WriteString(strings.TrimSuffix(sb.String(), "\n"))
	case litNumber:
		b.WriteString(l.raw)
	case litBool:
		b.WriteString(strconv.FormatBool(l.b))
	case litNull:
		b.WriteString("null")
	}
}

// jsonNumber is the number rule of RFC 8259 §6.
var jsonNumber = regexp.MustCompile(`^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$`)

// parseLiteral parses the compValue token after operator token ot. The
// keywords true, false and null are accepted in any case.
func parseLiteral(t, ot token) (literal, error) {
	switch t.kind {
	case tString:
		return literal{kind: litString, str: t.text, lower: strings.ToLower(t.text)}, nil
	case tWord:
		switch strings.ToLower(t.text) {
		case "true", "false":
			return literal{kind: litBool, b: strings.EqualFold(t.text, "true")}, nil
		case "null":
			return literal{kind: litNull}, nil
		}
		if jsonNumber.MatchString(t.text) {
			f, err := strconv.ParseFloat(t.text, 64)
			if err == nil {
				return literal{kind: litNumber, num: f, raw: t.text}, nil
			}
		}
		return literal{}, syntaxErr("invalid comparison value %q at offset %d: use a string in double quotes, "+
			"a number, true, false or null", t.text, t.pos)
	}
	return literal{}, syntaxErr("expected a comparison value after %q at offset %d, found %s", ot.text, t.pos, t.describe())
}

// parseDateTime parses an xsd:dateTime / RFC 3339 value. A value without a
// time zone is taken as UTC.
func parseDateTime(s string) (time.Time, bool) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// checkOperand rejects operator and value combinations that RFC 7644
// §3.4.2.2 forbids or that cannot be compared with the attribute's type.
// It also pre-parses the instant of a dateTime comparison.
func (p *parser) checkOperand(path AttrPath, a *schema.Attribute, o op, lit *literal) error {
	if o == opPr {
		return nil
	}
	if lit.kind == litNull {
		if o == opEq || o == opNe {
			return nil
		}
		return semanticErr("%s %s null: null can only be compared with eq or ne", path, o)
	}
	want := litString
	switch a.Type {
	case schema.TypeBoolean:
		if o.ordered() && !p.faults.Has(faultBooleanOrderAllowed) {
			return semanticErr("%s %s: gt, ge, lt and le are not defined for the boolean attribute %s", path, o, path)
		}
		if o.substring() {
			return semanticErr("%s %s: co, sw and ew are not defined for the boolean attribute %s", path, o, path)
		}
		want = litBool
	case schema.TypeBinary:
		if o.ordered() {
			return semanticErr("%s %s: gt, ge, lt and le are not defined for the binary attribute %s", path, o, path)
		}
	case schema.TypeInteger, schema.TypeDecimal:
		if o.substring() {
			return semanticErr("%s %s: co, sw and ew are not defined for the numeric attribute %s", path, o, path)
		}
		want = litNumber
	}
	if lit.kind != want {
		return semanticErr("%s is a %s attribute: compare it with %s, not %s", path, a.Type,
			litKindNames[want], litKindNames[lit.kind])
	}
	if a.Type == schema.TypeDateTime && !o.substring() {
		t, ok := parseDateTime(lit.str)
		if !ok {
			return semanticErr("%s %s %q: not a valid dateTime (use RFC 3339, e.g. \"2011-05-13T04:42:34Z\")",
				path, o, lit.str)
		}
		lit.t = t
	}
	return nil
}
