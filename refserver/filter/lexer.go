package filter

import (
	"encoding/json"
	"fmt"
)

// tokKind is the kind of a lexical token of a filter.
type tokKind int

const (
	tEOF    tokKind = iota
	tWord           // attribute path, operator, keyword, number, true/false/null
	tString         // JSON string literal (text holds the decoded value)
	tLParen
	tRParen
	tLBrack
	tRBrack
)

// token is one lexical token with its byte offset in the input.
type token struct {
	kind tokKind
	text string
	pos  int
}

// describe names a token for error messages.
func (t token) describe() string {
	switch t.kind {
	case tEOF:
		return "end of filter"
	case tString:
		return fmt.Sprintf("string %q", t.text)
	case tLParen:
		return `"("`
	case tRParen:
		return `")"`
	case tLBrack:
		return `"["`
	case tRBrack:
		return `"]"`
	}
	return fmt.Sprintf("%q", t.text)
}

// isSpace reports filter whitespace. The ABNF asks for single spaces; any run
// of space, tab, CR or LF is accepted.
func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// isDelim reports the characters that end a word.
func isDelim(c byte) bool {
	return isSpace(c) || c == '(' || c == ')' || c == '[' || c == ']' || c == '"'
}

// lex splits a filter into tokens. Words are maximal runs of characters that
// are neither whitespace nor one of ( ) [ ] "; a URN-qualified attribute path
// is therefore one word. String literals follow JSON (RFC 8259 §7).
func lex(s string) ([]token, error) {
	var toks []token
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case isSpace(c):
			i++
		case c == '(' || c == ')' || c == '[' || c == ']':
			toks = append(toks, token{kind: punct(c), text: string(c), pos: i})
			i++
		case c == '"':
			tok, next, err := lexString(s, i)
			if err != nil {
				return nil, err
			}
			toks = append(toks, tok)
			i = next
		case c == '\'':
			return nil, syntaxErr("single-quoted string at offset %d: string values must use double quotes, "+
				`e.g. userName eq "bjensen"`, i)
		default:
			j := i
			for j < len(s) && !isDelim(s[j]) {
				j++
			}
			toks = append(toks, token{kind: tWord, text: s[i:j], pos: i})
			i = j
		}
	}
	return append(toks, token{kind: tEOF, pos: len(s)}), nil
}

func punct(c byte) tokKind {
	switch c {
	case '(':
		return tLParen
	case ')':
		return tRParen
	case '[':
		return tLBrack
	}
	return tRBrack
}

// lexString scans the JSON string starting at s[start] (a '"') and decodes it.
func lexString(s string, start int) (token, int, error) {
	for j := start + 1; j < len(s); j++ {
		switch s[j] {
		case '\\':
			j++
		case '"':
			var v string
			if err := json.Unmarshal([]byte(s[start:j+1]), &v); err != nil {
				return token{}, 0, syntaxErr("invalid string literal at offset %d: %v", start, err)
			}
			return token{kind: tString, text: v, pos: start}, j + 1, nil
		}
	}
	return token{}, 0, syntaxErr("unterminated string literal starting at offset %d", start)
}
