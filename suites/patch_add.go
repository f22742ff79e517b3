package suites

import (
	"fmt"
	"time"

	. "github.com/onsi/ginkgo/v2"

	"github.com/scimconform/scimconform/internal/scim"
	"github.com/scimconform/scimconform/internal/spec"
)

// The add operation (RFC 7644 §3.5.2.1). The section's bullets carry no
// RFC 2119 keyword, so the plain add semantics are checked at MAY level
// under 7644-3.5.2-01 (a miss is a WARN); the no-op rules are SHOULD and
// SHALL NOT.

// patchNoOpWait separates a read from a later write by more than one
// second, so that a timestamp kept at second precision shows a change.
const patchNoOpWait = 1100 * time.Millisecond

func describePatchAdd(env *Env) {
	// 7644-3.5.2-01: add with a path assigns a single-valued attribute that has no value.
	It("adds a single-valued attribute that has no value", spec.Req("7644-3.5.2-01", "7644-3.5.2.1-02"), spec.MAY, func(ctx SpecContext) {
		a := patchTextAttr(env)
		u := patchCreateUser(ctx, env, nil)
		patchOK(ctx, env, u, "7644-3.5.2-01", fmt.Sprintf("add of %q", a), Op("add", a, "Patchy"))
		patchExpectText(patchRead(ctx, env, u), "", a, "Patchy", "7644-3.5.2-01",
			fmt.Sprintf("an add of %q (an add assigns an attribute that has no value, RFC 7644 §3.5.2.1)", a))
	})

	// 7644-3.5.2-01: add with a path replaces the value of a single-valued attribute that has one.
	It("replaces the value of a single-valued attribute that has one", spec.Req("7644-3.5.2-01", "7644-3.5.2.1-02"), spec.MAY, func(ctx SpecContext) {
		a := patchTextAttr(env)
		u := patchCreateUser(ctx, env, map[string]any{a: "Before"})
		patchOK(ctx, env, u, "7644-3.5.2-01", fmt.Sprintf("add of %q", a), Op("add", a, "After"))
		patchExpectText(patchRead(ctx, env, u), "", a, "After", "7644-3.5.2-01",
			fmt.Sprintf("an add of %q over an existing value (an add to a single-valued attribute replaces its value, RFC 7644 §3.5.2.1)", a))
	})

	// 7644-3.5.2-01: add to a multi-valued attribute appends the value and keeps the others.
	It("appends a value to a multi-valued attribute and keeps the existing values", spec.Req("7644-3.5.2-01", "7644-3.5.2.1-02"), spec.MAY, func(ctx SpecContext) {
		u := patchCreateUser(ctx, env, nil)
		work, home := patchEmail(u.Name, "work"), patchEmail(u.Name, "home")
		patchOK(ctx, env, u, "7644-3.5.2-01", `add of an "emails" value`,
			Op("add", "emails", []any{map[string]any{"value": home, "type": "home"}}))
		emails := patchValues(patchRead(ctx, env, u), "emails")
		patchExpectEmails(emails, []string{work, home}, "7644-3.5.2-01",
			`an add of one "emails" value (an add to a multi-valued attribute appends, RFC 7644 §3.5.2.1)`)
	})

	// 7644-3.5.2-01: add with a dotted path sets one sub-attribute of a complex attribute.
	It("sets a sub-attribute named with dotted notation and keeps its siblings", spec.Req("7644-3.5.2-01", "7644-3.5.2.1-02"), spec.MAY, func(ctx SpecContext) {
		u := patchCreateUser(ctx, env, nil)
		before := patchRead(ctx, env, u)
		patchOK(ctx, env, u, "7644-3.5.2-01", `add of "name.givenName"`, Op("add", "name.givenName", "Barbara"))
		after := patchRead(ctx, env, u)
		patchExpectText(after, "", "name.givenName", "Barbara", "7644-3.5.2-01", `an add of "name.givenName"`)
		patchExpectKept(before, after, "", "name.familyName", "7644-3.5.2-01", `an add of "name.givenName"`)
	})

	// 7644-3.5.2-01: add without a path adds each attribute of the value object (the RFC's own example).
	It("adds each attribute of the value object when the path is omitted", spec.Req("7644-3.5.2-01", "7644-3.5.2.1-02"), spec.MAY, func(ctx SpecContext) {
		a := patchTextAttr(env)
		u := patchCreateUser(ctx, env, nil)
		work, home := patchEmail(u.Name, "work"), patchEmail(u.Name, "home")
		patchOK(ctx, env, u, "7644-3.5.2-01", "an add without a path", Op("add", "", map[string]any{
			"emails": []any{map[string]any{"value": home, "type": "home"}},
			a:        "Babs",
		}))
		after := patchRead(ctx, env, u)
		what := fmt.Sprintf("an add without a path of {\"emails\": [...], %q: ...} (each member is added as if named by a path, RFC 7644 §3.5.2.1)", a)
		patchExpectText(after, "", a, "Babs", "7644-3.5.2-01", what)
		patchExpectEmails(patchValues(after, "emails"), []string{work, home}, "7644-3.5.2-01", what)
	})

}

func describePatchAddNoOp(env *Env) {
	// 7644-3.5.2.1-04: adding a value the attribute already holds changes nothing and succeeds.
	It("changes nothing when the added value is already present", spec.Req("7644-3.5.2.1-04"), spec.SHOULD, func(ctx SpecContext) {
		u := patchCreateUser(ctx, env, nil)
		work := patchEmail(u.Name, "work")
		before := patchRead(ctx, env, u)
		patchOK(ctx, env, u, "7644-3.5.2.1-04", "an add of an email the User already has",
			Op("add", "emails", []any{map[string]any{"value": work, "type": "work"}}))
		after := patchRead(ctx, env, u)
		if n := len(patchWithSub(patchValues(after, "emails"), "value", work)); n != 1 {
			Fail(fmt.Sprintf("%s: adding the work email %q that the User already has left %d copies of it; an add of a value already present should change nothing (and RFC 7643 §2.4 says the same type and value should not repeat).",
				cite("7644-3.5.2.1-04"), work, n))
		}
		patchExpectUnchanged(before, after, "7644-3.5.2.1-04", "an add of a value already present")
	})

	// 7644-3.5.2.1-05: an add that changes nothing keeps meta.lastModified.
	It("keeps meta.lastModified when the added value is already present", spec.Req("7644-3.5.2.1-05"), spec.MUST, Slow, func(ctx SpecContext) {
		u := patchCreateUser(ctx, env, nil)
		before := patchRead(ctx, env, u)
		was, ok, _ := patchMeta(before)
		if !ok {
			Skip("not applicable: the User carries no readable meta.lastModified, so a change of it cannot be seen")
		}
		patchSleep(ctx, patchNoOpWait)
		patchOK(ctx, env, u, "7644-3.5.2.1-05", "an add of an email the User already has",
			Op("add", "emails", []any{map[string]any{"value": patchEmail(u.Name, "work"), "type": "work"}}))
		after := patchRead(ctx, env, u)
		now, _, _ := patchMeta(after)
		if now.Equal(was) {
			return
		}
		moved := fmt.Sprintf("meta.lastModified moved from %s to %s", was.Format(time.RFC3339Nano), now.Format(time.RFC3339Nano))
		if diff := patchDiff(before, after); len(diff) > 0 {
			// The server changed the data (a SHOULD the spec above reports,
			// docs/interpretations.md#i13), so the new timestamp follows from that.
			env.Warn("%s: the add of a value already present changed the User (%s), and %s", cite("7644-3.5.2.1-05"), diff[0], moved)
			return
		}
		Fail(fmt.Sprintf("%s: an add of a value the User already had left its data unchanged but %s; an add that changes nothing must not touch the modify timestamp.",
			cite("7644-3.5.2.1-05"), moved))
	})
}

func describePatchAddExtension(env *Env) {
	const urn = scim.SchemaEnterpriseUser

	// 7644-3.5.2-12: an add with a URN-qualified path sets an extension attribute.
	It("sets an enterprise attribute named by its URN-qualified path", spec.Req("7644-3.5.2-12"), spec.MAY, func(ctx SpecContext) {
		u := patchCreateUser(ctx, env, nil)
		patchOK(ctx, env, u, "7644-3.5.2-12", "an add of the enterprise department", Op("add", urn+":department", "Research"))
		patchExpectText(patchRead(ctx, env, u), urn, "department", "Research", "7644-3.5.2-12",
			"an add with the path "+urn+":department (a fully qualified name reaches the extension, RFC 7644 §3.5.2)")
	})

	// 7643-3-03, 7644-3.5.2-12: once extension data is added, schemas lists the extension URN.
	It("lists the extension in schemas once a PATCH adds extension data", spec.Req("7643-3-03", "7644-3.5.2-12"), spec.MUST, func(ctx SpecContext) {
		u := patchCreateUser(ctx, env, nil)
		patchOK(ctx, env, u, "7644-3.5.2-12", "an add of the enterprise department", Op("add", urn+":department", "Research"))
		after := patchRead(ctx, env, u)
		if patchValue(after, urn, "department") == nil {
			Skip("not applicable: the server did not store the department (the spec on URN-qualified add paths reports it)")
		}
		for _, s := range schemasOf(after) {
			if s == urn {
				return
			}
		}
		Fail(fmt.Sprintf("%s: the User now holds enterprise extension data but its schemas are %s; schemas must list every schema the representation uses, so add %q (RFC 7644 §3.5.2 says an add by fully qualified name adds the URN).",
			cite("7643-3-03"), quoteJSON(schemasOf(after)), urn))
	})

	// 7644-3.5.2-12: an add with a URN-qualified sub-attribute path sets manager.value.
	It("sets a sub-attribute of an enterprise attribute named by its URN-qualified path", spec.Req("7644-3.5.2-12"), spec.MAY, func(ctx SpecContext) {
		boss := patchCreateUser(ctx, env, nil)
		u := patchCreateUser(ctx, env, nil)
		patchOK(ctx, env, u, "7644-3.5.2-12", "an add of the enterprise manager.value", Op("add", urn+":manager.value", boss.ID))
		patchExpectText(patchRead(ctx, env, u), urn, "manager.value", boss.ID, "7644-3.5.2-12",
			"an add with the path "+urn+":manager.value")
	})
}

// patchExpectEmails requires the email values to be exactly want (in any
// order, each once).
func patchExpectEmails(emails []map[string]any, want []string, req, after string) {
	GinkgoHelper()
	var got []string
	for _, e := range emails {
		s, _ := memberString(e, "value")
		got = append(got, s)
	}
	ok := len(got) == len(want)
	for _, w := range want {
		ok = ok && len(patchWithSub(emails, "value", w)) == 1
	}
	if !ok {
		Fail(fmt.Sprintf("%s: after %s, the User's emails are %s; expected exactly %s.", cite(req), after, quoteJSON(got), quoteJSON(want)))
	}
}

// patchSleep waits d unless the spec is interrupted.
func patchSleep(ctx SpecContext, d time.Duration) {
	select {
	case <-ctx.Done():
	case <-time.After(d):
	}
}
