package runner

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/scimconform/scimconform/internal/spec"
)

// Selection is the compiled spec selection of a run or a listing.
type Selection struct {
	// LabelFilter is the ginkgo label filter: the user's filter AND sections
	// AND levels AND requirement ids AND, with read-only, !mutating AND the
	// profile's filter.
	LabelFilter string
	// Focus holds the focus regular expression, if any.
	Focus []string
}

// Selection compiles the selection settings into a ginkgo label filter and
// validates it. Every error names the setting at fault.
func (c Config) Selection() (Selection, error) {
	var parts []string
	if f := strings.TrimSpace(c.LabelFilter); f != "" {
		if err := checkLabelFilter(f); err != nil {
			return Selection{}, fmt.Errorf("label-filter %q: %w", f, err)
		}
		parts = append(parts, "("+f+")")
	}
	if len(c.Sections) > 0 {
		var alts []string
		for _, s := range c.Sections {
			f, err := spec.SectionFilter(s)
			if err != nil {
				return Selection{}, err
			}
			alts = append(alts, f)
		}
		parts = append(parts, group(alts))
	}
	if len(c.Levels) > 0 {
		var alts []string
		for _, s := range c.Levels {
			l, err := spec.ParseLevel(s)
			if err != nil {
				return Selection{}, fmt.Errorf("level: %w", err)
			}
			alts = append(alts, l.Label())
		}
		parts = append(parts, group(alts))
	}
	if len(c.Reqs) > 0 {
		var alts []string
		for _, id := range c.Reqs {
			if _, _, err := spec.ParseReqID(id); err != nil {
				return Selection{}, fmt.Errorf("req: %w", err)
			}
			alts = append(alts, spec.PrefixReq+id)
		}
		parts = append(parts, group(alts))
	}
	if c.ReadOnly {
		parts = append(parts, "!"+spec.LabelMutating)
	}
	profile, err := spec.ParseProfile(c.Profile)
	if err != nil {
		return Selection{}, fmt.Errorf("profile: %w", err)
	}
	if f := profile.LabelFilter(); f != "" {
		parts = append(parts, f)
	}
	sel := Selection{LabelFilter: strings.Join(parts, " && ")}
	if err := checkLabelFilter(sel.LabelFilter); err != nil {
		return Selection{}, fmt.Errorf("selection %q: %w", sel.LabelFilter, err)
	}
	if f := strings.TrimSpace(c.Focus); f != "" {
		if _, err := regexp.Compile(f); err != nil {
			return Selection{}, fmt.Errorf("focus %q is not a regular expression: %s", f, oneLine(err.Error()))
		}
		sel.Focus = []string{f}
	}
	return sel, nil
}

// group joins alternatives with || in parentheses (bare for one).
func group(alts []string) string {
	if len(alts) == 1 {
		return alts[0]
	}
	return "(" + strings.Join(alts, " || ") + ")"
}

// checkLabelFilter parses a filter with ginkgo's parser and turns its
// multi-line, coloured error into one plain sentence.
func checkLabelFilter(f string) error {
	_, err := types.ParseLabelFilter(f)
	if err == nil {
		return nil
	}
	var gerr types.GinkgoError
	if errors.As(err, &gerr) {
		msg := gerr.Message
		if i := strings.LastIndexByte(msg, '\n'); i >= 0 {
			msg = msg[i+1:]
		}
		return errors.New(strings.TrimSpace(gerr.Heading + ": " + stripColor(msg)))
	}
	return errors.New(oneLine(stripColor(err.Error())))
}

var ansiOrTemplate = regexp.MustCompile(`\x1b\[[0-9;]*m|\{\{[a-z/-]*\}\}`)

func stripColor(s string) string { return ansiOrTemplate.ReplaceAllString(s, "") }
