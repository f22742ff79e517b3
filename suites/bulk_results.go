package suites

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"

	"github.com/scimconform/scimconform/internal/matchers"
	"github.com/scimconform/scimconform/internal/scim"
	"github.com/scimconform/scimconform/internal/spec"
)

// The members of each operation result of a BulkResponse (RFC 7644 §3.7,
// §3.7.3): method, bulkId, location, version, status and response.

func describeBulkResults(env *Env) {
	// 7644-3.7-03: each result names the method of its operation.
	It("names the method of each operation in its result", spec.Req("7644-3.7-03"), spec.MUST, func(ctx SpecContext) {
		f := bulkUser(ctx, env, "bulk-method")
		name := env.Name("bulk-method-new")
		ops := []bulkOp{
			{Method: http.MethodPost, Path: env.Endpoint("User"), BulkID: "m", Data: bulkUserData(name, name)},
			{Method: http.MethodPut, Path: f.Path, Data: bulkUserData(f.UserName, f.UserName+" v2")},
			{Method: http.MethodDelete, Path: bulkMissingPath(env)},
		}
		reply := bulkSend(ctx, env, ops, bulkNoLimit, "7644-3.7-03")
		var problems []string
		for i, o := range ops {
			r := reply.Matched[i]
			switch {
			case r == nil:
				problems = append(problems, fmt.Sprintf("operation %d (%s %s) has no result", i, o.Method, o.Path))
			case r.Method != o.Method && strings.EqualFold(r.Method, o.Method):
				env.Info("operation %d: method %q is reported as %q; RFC 7644 §3.7 spells methods in upper case", i, o.Method, r.Method)
			case r.Method != o.Method:
				problems = append(problems, fmt.Sprintf("operation %d (%s %s): method is %s", i, o.Method, o.Path, quoteJSON(r.Raw["method"])))
			}
		}
		failProblems(cite("7644-3.7-03")+": every operation result must repeat its operation's \"method\" (POST, PUT, PATCH or DELETE) so clients can tell the results apart:", problems)
	})

	// 7644-3.7.3-03: each result's status is the code the same single request gets.
	It("reports for each operation the status code the same single request gets", spec.Req("7644-3.7.3-03"), spec.MUST, func(ctx SpecContext) {
		cases := bulkStatusCases(ctx, env)
		ops := make([]bulkOp, len(cases))
		for i, c := range cases {
			ops[i] = c.op
		}
		reply := bulkSend(ctx, env, ops, bulkNoLimit, "7644-3.7.3-03")
		var problems []string
		integers := 0
		for i, c := range cases {
			r := reply.Matched[i]
			switch {
			case r == nil:
				problems = append(problems, fmt.Sprintf("%s: no result", c.label))
			case r.Code == 0:
				problems = append(problems, fmt.Sprintf("%s: status is %s", c.label, r.Shape))
			case r.Code != c.single:
				problems = append(problems, fmt.Sprintf("%s: status %d, but the same request sent alone got %d", c.label, r.Code, c.single))
			}
			if r != nil && r.Shape == "integer" {
				integers++
			}
		}
		if integers > 0 {
			env.Warn("%d operation results give status as a JSON number; RFC 7644 §3.7.3 shows a string (\"201\") or an object with a code; clients expecting either may not read a number (%s)", integers, interpretation(8))
		}
		failProblems(cite("7644-3.7.3-03")+": each result's status must hold the HTTP status code the operation would get as a single request:", problems)
	})

	// 7644-3.7.3-02, 7644-3.7-08: every result but a failed POST's has the resource's location.
	It("returns the resource location with every result except a failed POST", spec.Req("7644-3.7.3-02", "7644-3.7-08"), spec.MUST, func(ctx SpecContext) {
		mix := newBulkMix(ctx, env)
		ops := append(mix.ops, bulkOp{Method: http.MethodDelete, Path: bulkMissingPath(env)})
		reply := bulkSend(ctx, env, ops, bulkNoLimit, "7644-3.7.3-02")
		var problems []string
		for i, o := range ops {
			problems = append(problems, bulkLocationProblems(ctx, env, o, reply.Matched[i], mix.newName, i)...)
		}
		failProblems(cite("7644-3.7.3-02")+": every operation result except that of a failed POST must carry \"location\", the URL of the resource it acted on (RFC 7644 §3.7, §3.7.3):", problems)
	})

}

func describeBulkResultIdentity(env *Env) {
	// 7644-3.7-16: each POST result carries the bulkId the client gave it.
	It("returns each POST operation's bulkId with the resource it created", spec.Req("7644-3.7-16"), spec.MUST, func(ctx SpecContext) {
		names := map[string]string{"alpha": env.Name("bulk-alpha"), "beta": env.Name("bulk-beta")}
		ops := []bulkOp{
			{Method: http.MethodPost, Path: env.Endpoint("User"), BulkID: "alpha", Data: bulkUserData(names["alpha"], names["alpha"])},
			{Method: http.MethodPost, Path: env.Endpoint("User"), BulkID: "beta", Data: bulkUserData(names["beta"], names["beta"])},
		}
		reply := bulkSend(ctx, env, ops, bulkNoLimit, "7644-3.7-16")
		var problems []string
		for _, o := range ops {
			problems = append(problems, bulkIDEchoProblems(ctx, env, reply, o.BulkID, names[o.BulkID])...)
		}
		failProblems(cite("7644-3.7-16")+": the result of each POST operation must carry the operation's bulkId, so the client can map it to the id of the resource created:", problems)
	})

	// 7644-3.7-05, 7644-3.14-02: with ETags, each successful write result carries the resource's new version, the tag a later GET sends as ETag.
	It("returns the new version of the resource with each successful write result", spec.Req("7644-3.7-05", "7644-3.14-02"), spec.MAY, spec.Requires(spec.FeatureETag), func(ctx SpecContext) {
		mix := newBulkMix(ctx, env)
		ops := mix.ops[:len(mix.ops)-1] // no DELETE: a deleted resource has no version
		reply := bulkSend(ctx, env, ops, bulkNoLimit, "7644-3.7-05")
		var problems []string
		for i, o := range ops {
			problems = append(problems, bulkVersionProblems(ctx, env, reply, o, i)...)
		}
		failProblems(cite("7644-3.7-05")+": with ETag support, each successful POST, PUT and PATCH result should carry \"version\", the entity tag of the resource after the operation:", problems)
	})

	// 7644-3.14-03: lastModified is the time of the latest change, also when a bulk operation made it.
	It("advances meta.lastModified of a User a bulk PUT changes", spec.Req("7644-3.14-03"), spec.MAY, Slow, func(ctx SpecContext) {
		problem, ok := bulkLastModifiedProblem(ctx, env)
		if !ok {
			Skip("not applicable: the User carries no meta.lastModified the harness can read as a dateTime")
		}
		if problem != "" {
			Fail(problem)
		}
	})
}

// bulkStatusCase is one operation of the status spec with the status the
// same request got when sent alone.
type bulkStatusCase struct {
	label  string
	op     bulkOp
	single int
}

// bulkStatusCases sends one single request of each kind, on Users created
// for the purpose, and builds the equivalent bulk operations on other Users.
func bulkStatusCases(ctx context.Context, env *Env) []bulkStatusCase {
	GinkgoHelper()
	endpoint := env.Endpoint("User")
	alone := env.Name("bulk-status-alone")
	resp, _ := env.Create(ctx, endpoint, bulkUserData(alone, alone))
	inBulk := env.Name("bulk-status-new")
	cases := []bulkStatusCase{{label: "POST " + endpoint, single: resp.Status,
		op: bulkOp{Method: http.MethodPost, Path: endpoint, BulkID: "status", Data: bulkUserData(inBulk, inBulk)}}}
	single, bulk := bulkUser(ctx, env, "bulk-status-put1"), bulkUser(ctx, env, "bulk-status-put2")
	cases = append(cases, bulkStatusCase{label: "PUT", single: env.Put(ctx, single.Path, bulkUserData(single.UserName, "v2")).Status,
		op: bulkOp{Method: http.MethodPut, Path: bulk.Path, Data: bulkUserData(bulk.UserName, "v2")}})
	if env.Caps.Has(spec.FeaturePatch) {
		single, bulk = bulkUser(ctx, env, "bulk-status-patch1"), bulkUser(ctx, env, "bulk-status-patch2")
		cases = append(cases, bulkStatusCase{label: "PATCH", single: env.Patch(ctx, single.Path, Op("replace", "displayName", "v2")).Status,
			op: bulkOp{Method: http.MethodPatch, Path: bulk.Path, Data: PatchOp(Op("replace", "displayName", "v2"))}})
	}
	single, bulk = bulkUser(ctx, env, "bulk-status-del1"), bulkUser(ctx, env, "bulk-status-del2")
	cases = append(cases, bulkStatusCase{label: "DELETE", single: env.Delete(ctx, single.Path).Status,
		op: bulkOp{Method: http.MethodDelete, Path: bulk.Path}})
	cases = append(cases, bulkStatusCase{label: "DELETE of a User that does not exist", single: env.Delete(ctx, bulkMissingPath(env)).Status,
		op: bulkOp{Method: http.MethodDelete, Path: bulkMissingPath(env)}})
	return cases
}

// bulkLocationProblems checks the location of operation i's result: present
// (unless the POST failed), and naming the resource the operation acted on.
func bulkLocationProblems(ctx context.Context, env *Env, o bulkOp, r *bulkResult, newName string, i int) []string {
	GinkgoHelper()
	what := fmt.Sprintf("operation %d (%s %s)", i, o.Method, o.Path)
	switch {
	case r == nil:
		return []string{what + ": no result"}
	case o.Method == http.MethodPost && !r.ok():
		return []string{fmt.Sprintf("%s: the create failed with status %d, so its location cannot be checked", what, r.Code)}
	case r.Location == "":
		return []string{what + ": no location"}
	case o.Method != http.MethodPost && !strings.HasSuffix(pathOfURL(r.Location), o.Path):
		return []string{fmt.Sprintf("%s: location %q does not name the resource %s", what, r.Location, o.Path)}
	case o.Method != http.MethodPost:
		return nil
	}
	if !strings.Contains(pathOfURL(r.Location), o.Path+"/") {
		return []string{fmt.Sprintf("%s: location %q does not include the endpoint %s", what, r.Location, o.Path)}
	}
	resp := env.GetNamed(ctx, r.Location, what+": the location of the result")
	if resp == nil {
		return nil
	}
	obj, err := resp.Object()
	got, _ := memberString(obj, "userName")
	if resp.Status != http.StatusOK || err != nil || got != newName {
		return []string{fmt.Sprintf("%s: GET of location %q answers HTTP %d with userName %q, not the User %q the operation created", what, r.Location, resp.Status, got, newName)}
	}
	return nil
}

// bulkIDEchoProblems checks that one result carries bulkID and leads to the
// resource its operation created.
func bulkIDEchoProblems(ctx context.Context, env *Env, reply *bulkReply, bulkID, name string) []string {
	GinkgoHelper()
	var r *bulkResult
	for _, x := range reply.Results {
		if x.BulkID == bulkID {
			r = x
		}
	}
	if r == nil {
		return []string{fmt.Sprintf("no result carries bulkId %q (results' bulkIds: %s)", bulkID, bulkIDsOf(reply.Results))}
	}
	if !r.ok() {
		env.Info("the create with bulkId %q failed (status %d), so only the presence of its bulkId could be checked; the other bulk specs judge the failure", bulkID, r.Code)
		return nil
	}
	id := lastSegment(r.Location)
	if id == "" {
		env.Info("the result with bulkId %q has no location; the location spec reports it", bulkID)
		return nil
	}
	resp := env.Get(ctx, env.Endpoint("User")+"/"+id, nil)
	obj, err := resp.Object()
	got, _ := memberString(obj, "userName")
	if resp.Status != http.StatusOK || err != nil || got != name {
		return []string{fmt.Sprintf("the result with bulkId %q points to %q, which is not the User %q that operation created (GET: HTTP %d, userName %q)", bulkID, r.Location, name, resp.Status, got)}
	}
	return nil
}

// bulkIDsOf lists the bulkIds of results for a message.
func bulkIDsOf(results []*bulkResult) string {
	var ids []string
	for _, r := range results {
		ids = append(ids, strconv.Quote(r.BulkID))
	}
	return "[" + strings.Join(ids, ", ") + "]"
}

// bulkVersionProblems checks that the result of write operation i carries
// the version the resource then has (its ETag header or meta.version).
func bulkVersionProblems(ctx context.Context, env *Env, reply *bulkReply, o bulkOp, i int) []string {
	GinkgoHelper()
	what := fmt.Sprintf("operation %d (%s %s)", i, o.Method, o.Path)
	r := reply.Matched[i]
	switch {
	case r == nil || !r.ok():
		return []string{what + ": no successful result to check"}
	case r.Version == "":
		return []string{what + ": no version"}
	}
	path := o.Path
	if o.Method == http.MethodPost {
		path = o.Path + "/" + reply.IDs[o.BulkID]
	}
	resp := env.Get(ctx, path, nil)
	tag := strings.TrimSpace(resp.Header.Get("ETag"))
	v := ""
	if obj, err := resp.Object(); err == nil {
		v, _ = etagMetaVersion(obj)
	}
	switch {
	case tag != "" && r.Version != tag:
		// Where the server sends ETag headers, the header is the version
		// clients send back in If-Match (RFC 7644 §3.14).
		return []string{fmt.Sprintf("%s: version %s, but GET %s then sends the ETag header %s (meta.version %q); the version of a result is the entity tag of the resource after the operation", what, r.Version, path, tag, v)}
	case tag == "" && r.Version != v:
		return []string{fmt.Sprintf("%s: version %s, but GET %s then has no ETag header and meta.version %q", what, r.Version, path, v)}
	}
	return nil
}

// bulkLastModifiedProblem sends one bulk PUT that changes a fresh User more
// than a second after reading it, and reports meta.lastModified not moving
// forward. ok is false when the User carries no readable lastModified.
func bulkLastModifiedProblem(ctx SpecContext, env *Env) (problem string, ok bool) {
	GinkgoHelper()
	f := bulkUser(ctx, env, "bulk-lastmod")
	_, obj := etagRead(ctx, env, f, cite("7644-3.14-03")+": the User created for this spec must be readable")
	was, ok := replaceLastModified(obj)
	if !ok {
		return "", false
	}
	patchSleep(ctx, patchNoOpWait)
	ops := []bulkOp{{Method: http.MethodPut, Path: f.Path, Data: bulkUserData(f.UserName, f.UserName+" changed in bulk")}}
	reply := bulkSend(ctx, env, ops, bulkNoLimit, "7644-3.14-03")
	if r := bulkExpectResult(reply, ops, 0, "7644-3.14-03"); !r.ok() {
		FailHarness("setup: the bulk PUT of %s reports status %d, so no change was made; the bulk status specs judge it", f.Path, r.Code)
	}
	_, obj = etagRead(ctx, env, f, cite("7644-3.14-03")+": the User must be readable after the bulk PUT")
	now, _ := replaceLastModified(obj)
	if now.After(was) {
		return "", true
	}
	return fmt.Sprintf("%s: a bulk PUT changed displayName of %s more than a second after the previous read, but meta.lastModified went from %s to %s; it is the time of the most recent change (RFC 7643 §3.1), whichever request made it",
		cite("7644-3.14-03"), f.Path, was.Format(time.RFC3339Nano), now.Format(time.RFC3339Nano)), true
}

func describeBulkErrors(env *Env) {
	// 7644-3.7-09, 7644-3.7-11, 7644-3.7.3-04: a failed operation's result holds a SCIM error and a description.
	It("returns a SCIM error response with a description in the result of a failed operation",
		spec.Req("7644-3.7-09", "7644-3.7-11", "7644-3.7.3-04"), spec.MUST, func(ctx SpecContext) {
			ops := []bulkOp{{Method: http.MethodDelete, Path: bulkMissingPath(env)}}
			reply := bulkSend(ctx, env, ops, bulkNoLimit, "7644-3.7-09")
			r := bulkExpectResult(reply, ops, 0, "7644-3.7-09")
			if r.ok() {
				FailHarness("setup: a bulk DELETE of %s, which does not exist, reports success (status %d), so no error result could be checked", ops[0].Path, r.Code)
			}
			failProblems(cite("7644-3.7-09")+": the result of a failed operation must hold \"response\", the SCIM error (RFC 7644 §3.12) the request would get alone, and a human-readable description of the error (RFC 7644 §3.7, §3.7.3):",
				bulkErrorProblems(env, r))
		})
}

// bulkErrorProblems checks the response and description of a failed result.
func bulkErrorProblems(env *Env, r *bulkResult) []string {
	if !r.HasResponse || r.Response == nil {
		return []string{fmt.Sprintf("status %d, but no \"response\" object (7644-3.7-09, 7644-3.7-11)", r.Code)}
	}
	body, err := json.Marshal(r.Response)
	if err != nil {
		return []string{"response cannot be read: " + err.Error()}
	}
	e, err := matchers.ParseSCIMError(body)
	if err != nil {
		return []string{"response is not a JSON object (7644-3.7-11)"}
	}
	var problems []string
	if !e.HasErrorSchema() {
		problems = append(problems, fmt.Sprintf("response \"schemas\" is %q; a SCIM error lists %s (7644-3.7-11)", e.Schemas, scim.MessageError))
	}
	if e.Status != strconv.Itoa(r.Code) {
		problems = append(problems, fmt.Sprintf("response \"status\" is %q, the operation's status is %d (7644-3.7-11)", e.Status, r.Code))
	}
	if e.StatusIsInteger {
		env.Info("the error response gives status as a JSON number; the error specs judge that (%s)", interpretation(8))
	}
	if r.Description == "" && strings.TrimSpace(e.Detail) == "" {
		problems = append(problems, "neither status.description nor response.detail explains the error (7644-3.7.3-04)")
	}
	return problems
}
