package suites

import (
	"fmt"
	"net/http"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/scimconform/scimconform/internal/matchers"
	"github.com/scimconform/scimconform/internal/scim"
	"github.com/scimconform/scimconform/internal/spec"
)

// The create suite: RFC 7644 §3.3 and the RFC 7643 §3.1 attributes a
// create assigns. Each rule is judged by one spec; the others only need
// the create to succeed (coreCreateSubject), so a wrong status fails the
// status spec and no other.
var _ = DescribeSCIM("Create", spec.Area("create"), spec.Mutating, func(env *Env) {
	Context("POST /Users", spec.Requires(spec.FeatureUsers), func() {
		describeCreateStatus(env)
		describeCreateMeta(env)
		describeCreateReadOnly(env)
		describeCreateUniqueness(env)
	})
	Context("POST /Groups", spec.Requires(spec.FeatureGroups), func() { describeGroupCreate(env) })
})

func describeCreateStatus(env *Env) {
	// 7644-3.3-07: a successful create answers 201 Created.
	It("answers 201 Created for a new User", spec.Req("7644-3.3-07"), spec.MUST, func(ctx SpecContext) {
		resp, _ := coreCreate(ctx, env, coreUser, coreUserBody(env, "create"))
		Expect(resp).To(matchers.HaveStatus(http.StatusCreated,
			cite("7644-3.3-07")+": POST /Users with a valid User creates it and must answer 201 Created (not 200) with the new resource"))
	})

	// 7644-3.3-09: the 201 answer names the new resource in Location and in meta.location, and the URI serves it.
	It("sends a Location header equal to meta.location that serves the new User", spec.Req("7644-3.3-09"), spec.MUST, func(ctx SpecContext) {
		resp, obj, _ := coreCreateSubject(ctx, env, coreUser, coreUserBody(env, "location"))
		if resp.Status != http.StatusCreated {
			Skip(fmt.Sprintf("the create answered %s, not 201; Location is checked on a 201 only (%s; 7644-3.3-07 reports the status)", coreStatus(resp.Status), interpretation(10)))
		}
		expectCreatedLocation(ctx, env, resp, obj)
	})

	// 7644-3.3-08: the 201 body holds the created User with the values the client sent.
	It("returns the created User with the values sent in the response body", spec.Req("7644-3.3-08"), spec.SHOULD, func(ctx SpecContext) {
		body := coreUserBody(env, "echo")
		resp, obj, _ := coreCreateSubject(ctx, env, coreUser, body)
		Expect(len(resp.Body)).NotTo(BeZero(), "%s: the create answer should carry the new User as the server stored it; it has no body", cite("7644-3.3-08"))
		view, ok := coreSchemaView(env, coreUser)
		failProblems(cite("7644-3.3-08")+": the create answer should hold the stored User; these values sent are missing or different:",
			coreSentProblems(view, ok, body, obj))
	})
}

// expectCreatedLocation checks Location against meta.location and that the
// URI serves the resource (7644-3.3-09).
func expectCreatedLocation(ctx SpecContext, env *Env, resp *scim.Response, obj map[string]any) {
	GinkgoHelper()
	loc := resp.Header.Get("Location")
	Expect(loc).NotTo(BeEmpty(), "%s: a 201 answer to a create must carry a Location header with the new resource's URI; add it (equal to meta.location)",
		cite("7644-3.3-09"))
	metaLoc := coreMetaString(obj, "location")
	Expect(metaLoc).NotTo(BeEmpty(), "%s: the created resource must carry meta.location with its URI", cite("7644-3.3-09"))
	Expect(coreSameURI(resp.URL, loc, metaLoc)).To(BeTrue(),
		"%s: Location is %q but meta.location is %q; both must give the new resource's URI", cite("7644-3.3-09"), loc, metaLoc)
	if got := env.GetNamed(ctx, loc, "the Location of the created resource"); got != nil {
		Expect(got).To(matchers.HaveStatus(http.StatusOK, cite("7644-3.3-09")+": the Location of a created resource must serve it: GET "+loc+" should answer 200"))
	}
}

func describeCreateMeta(env *Env) {
	// 7644-3.3.1-01, 7643-3.1-01, 7643-3.1-02, 7643-3.1-15: the server fills meta, with resourceType User, on create and read.
	It("fills meta with resourceType User, created, lastModified and location", spec.Req("7644-3.3.1-01", "7643-3.1-01", "7643-3.1-02", "7643-3.1-15"),
		spec.MUST, func(ctx SpecContext) {
			_, obj, id := coreCreateSubject(ctx, env, coreUser, coreUserBody(env, "meta"))
			want := coreUser
			if rt, ok := env.Caps.ResourceType(coreUser); ok && rt.Name != "" {
				want = rt.Name
			}
			problems := coreMetaProblems("the create answer", obj, want)
			problems = append(problems, coreMetaProblems("GET "+corePath(env, coreUser, id), coreGet(ctx, env, coreUser, id, "7643-3.1-01"), want)...)
			failProblems("RFC 7644 §3.3.1, RFC 7643 §3.1 (7644-3.3.1-01, 7643-3.1-02): the server assigns meta on create: resourceType (the endpoint's resource type name), created and lastModified (xsd:dateTime) and location; fix:",
				problems)
		})

	// 7643-3.1-02, 7643-3.1-06, 7643-3.1-09: each created resource gets a new, unique id that never holds "bulkId".
	It("assigns every new resource its own id", spec.Req("7643-3.1-02", "7643-3.1-06", "7643-3.1-09"), spec.MUST, func(ctx SpecContext) {
		ids := map[string]string{}
		var problems []string
		for i := 0; i < 3; i++ {
			_, _, id := coreCreateSubject(ctx, env, coreUser, coreUserBody(env, "ids"))
			if other, dup := ids[id]; dup {
				problems = append(problems, fmt.Sprintf("User %d got id %q, already given to %s", i+1, id, other))
			}
			if strings.Contains(id, "bulkId") {
				problems = append(problems, fmt.Sprintf("id %q holds the reserved word bulkId (RFC 7643 §3.1)", id))
			}
			ids[id] = fmt.Sprintf("User %d", i+1)
		}
		failProblems("RFC 7643 §3.1 (7643-3.1-06, 7643-3.1-09): ids are unique across all resources and never contain \"bulkId\":", problems)
	})
}

// coreMetaProblems lists what is wrong with the meta of a representation.
func coreMetaProblems(where string, obj map[string]any, resourceType string) []string {
	meta := coreMeta(obj)
	if meta == nil {
		return []string{where + " has no meta object"}
	}
	var out []string
	if rt, _ := memberString(meta, "resourceType"); rt != resourceType {
		out = append(out, fmt.Sprintf("%s: meta.resourceType is %s, want %q", where, corePresent(member(meta, "resourceType")), resourceType))
	}
	for _, name := range []string{"created", "lastModified"} {
		if s, _ := memberString(meta, name); !coreIsDateTime(s) {
			out = append(out, fmt.Sprintf("%s: meta.%s is %s, want an xsd:dateTime such as 2015-01-23T04:56:22Z", where, name, corePresent(member(meta, name))))
		}
	}
	if s, _ := memberString(meta, "location"); s == "" {
		out = append(out, fmt.Sprintf("%s: meta.location is %s, want the resource's URI", where, corePresent(member(meta, "location"))))
	}
	return out
}

func describeCreateReadOnly(env *Env) {
	// 7644-3.3-02: an id in the create body is readOnly input and is ignored.
	It("ignores an id sent by the client", spec.Req("7644-3.3-02"), spec.MUST, func(ctx SpecContext) {
		body := coreUserBody(env, "client-id")
		clientID := env.Name("client-id")
		body["id"] = clientID
		_, _, id := coreCreateSubject(ctx, env, coreUser, body)
		Expect(id).NotTo(Equal(clientID), "%s: ids are issued by the server and a client-sent id is readOnly input to ignore; the new User took the client's id %q",
			cite("7644-3.3-02"), clientID)
		got := env.Get(ctx, corePath(env, coreUser, clientID), nil)
		Expect(got.Status).NotTo(Equal(http.StatusOK), "%s: GET of the client-sent id %q found a resource; ignore ids sent in a create", cite("7644-3.3-02"), clientID)
	})

	// 7644-3.3-02, 7643-3.1-14: meta sent by the client is ignored.
	It("ignores meta sent by the client", spec.Req("7644-3.3-02", "7643-3.1-14"), spec.MUST, func(ctx SpecContext) {
		body := coreUserBody(env, "client-meta")
		sent := map[string]any{"resourceType": "ClientType", "created": "2001-02-03T04:05:06Z",
			"lastModified": "2001-02-03T04:05:06Z", "location": "https://client.invalid/Users/x", "version": `W/"client"`}
		body["meta"] = sent
		_, obj, id := coreCreateSubject(ctx, env, coreUser, body)
		var problems []string
		for where, rep := range map[string]map[string]any{"the create answer": obj, "GET by id": coreGet(ctx, env, coreUser, id, "7643-3.1-14")} {
			for k, v := range sent {
				if got := coreMetaString(rep, k); got == v || ((k == "created" || k == "lastModified") && coreSameInstant(got, v.(string))) {
					problems = append(problems, fmt.Sprintf("%s: meta.%s is the client's %q", where, k, got))
				}
			}
		}
		failProblems(cite("7643-3.1-14")+": meta is maintained by the server and a client-sent meta must be ignored, yet:", problems)
	})

	// 7644-3.3-02, 7643-7-14: User.groups is readOnly, so groups sent in a create change no membership.
	It("ignores readOnly groups sent in a create", spec.Req("7644-3.3-02", "7643-7-14"), spec.MUST, func(ctx SpecContext) {
		expectReadOnlyGroupsIgnored(ctx, env, func(groups []any) string {
			body := coreUserBody(env, "ro-groups")
			body["groups"] = groups
			_, _, id := coreCreateSubject(ctx, env, coreUser, body)
			return id
		}, "7644-3.3-02")
	})
}

func describeCreateUniqueness(env *Env) {
	// 7644-3.3-10, 7643-4.1.1-02, 7643-7-23, 7643-7-24: a second User with a taken (server-unique) userName gets 409 uniqueness (docs/interpretations.md#i7: 400 is warned about).
	It("answers 409 uniqueness to a second User with the same userName", spec.Req("7644-3.3-10", "7643-4.1.1-02", "7643-7-23", "7643-7-24", "7644-3.12-01"),
		spec.MUST, func(ctx SpecContext) {
			first := coreUserBody(env, "unique")
			coreMustCreate(ctx, env, coreUser, first)
			second := coreUserBody(env, "unique-dup")
			second["userName"] = first["userName"]
			resp, _ := coreCreate(ctx, env, coreUser, second)
			expectUniquenessConflict(env, resp, fmt.Sprintf("userName %q is taken by a User of this run", first["userName"]), "7644-3.3-10")
		})
}

// expectUniquenessConflict judges the answer to a create that collides on
// userName: 409 uniqueness; 400 is accepted with a warning (I7).
func expectUniquenessConflict(env *Env, resp *scim.Response, what, req string) {
	GinkgoHelper()
	if resp.Status == http.StatusBadRequest {
		env.Warn("%s: the conflicting create got 400 (RFC 7643 §7 allows 400 for uniqueness); RFC 7644 §3.3 asks for 409 Conflict with scimType \"uniqueness\" (%s). %s",
			what, interpretation(7), coreErrorNote(resp))
		return
	}
	coreExpectError(resp, http.StatusConflict, "uniqueness", fmt.Sprintf(
		"%s: %s, so the create conflicts and must fail with 409 Conflict and scimType \"uniqueness\"; a server that stores the duplicate breaks userName uniqueness",
		cite(req), what))
}
