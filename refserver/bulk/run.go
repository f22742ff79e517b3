package bulk

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/scimconform/scimconform/refserver/scimerr"
)

// run is the execution of one BulkRequest.
type run struct {
	h        *Handler
	outer    *http.Request
	ops      []*operation
	byBulkID map[string]*operation // the POST operation defining each bulkId
	ids      map[string]string     // bulkId → id of the resource created
	waiting  map[string][]*fixup   // bulkId → fix-ups waiting for it
	fixups   []*fixup
	limit    int // failOnErrors; 0 = no limit
	errors   int
	stopped  bool
}

// fixup completes a create whose data referenced resources of its own
// circle (RFC 7644 §3.7.1): the held values are added by PATCH once every
// bulkId in refs has been created.
type fixup struct {
	op      *operation
	refs    []string
	waiting map[string]bool
	held    []deferredValue
	settled bool
}

func newRun(h *Handler, r *http.Request, req *bulkRequest) *run {
	x := &run{h: h, outer: r, byBulkID: map[string]*operation{}, ids: map[string]string{},
		waiting: map[string][]*fixup{}, limit: req.failOnErrors}
	switch {
	case h.Faults.Has(FaultIgnoreFailOnErrors):
		x.limit = 0
	case h.Faults.Has(FaultStopOnFirstError) && x.limit == 0:
		x.limit = 1
	}
	for i, raw := range req.operations {
		x.ops = append(x.ops, parseOperation(i, raw))
	}
	x.index()
	return x
}

// index registers the bulkIds POST operations define, then fails operations
// repeating a bulkId or referencing one no operation defines.
func (x *run) index() {
	for _, o := range x.ops {
		if !o.defines() {
			continue
		}
		if _, dup := x.byBulkID[o.bulkID]; dup {
			if o.err == nil {
				o.err = scimerr.BadRequest(scimerr.InvalidValue, "operation %d: bulkId %q is already used by another operation", o.index, o.bulkID)
			}
			continue
		}
		x.byBulkID[o.bulkID] = o
	}
	for _, o := range x.ops {
		if o.err != nil {
			continue
		}
		for _, ref := range o.deps() {
			if x.byBulkID[ref] == nil {
				o.err = scimerr.BadRequest(scimerr.InvalidValue, "operation %d: no operation of this request defines bulkId %q", o.index, ref)
				break
			}
		}
	}
}

// execute runs the operations in request order, running an operation's
// dependencies first, and returns the results of the processed ones.
func (x *run) execute() []*opResult {
	for _, o := range x.ops {
		if x.stopped {
			break
		}
		x.visit(o)
	}
	for _, f := range x.fixups {
		if !f.settled {
			x.conflict(f.op, "processing stopped (failOnErrors) before its circular references were resolved")
		}
	}
	out := []*opResult{}
	for _, o := range x.ops {
		if o.result != nil {
			out = append(out, x.present(o.result))
		}
	}
	return out
}

// visit runs o after the operations creating the bulkIds it references. A
// dependency already being visited closes a circle; o then runs without
// those references and a fix-up adds them later.
func (x *run) visit(o *operation) {
	if o.state != pending || x.stopped {
		return
	}
	o.state = visiting
	var cyclic []string
	if o.err == nil {
		for _, ref := range o.deps() {
			d := x.byBulkID[ref]
			if d.state == visiting {
				cyclic = append(cyclic, ref)
				continue
			}
			x.visit(d)
			if x.stopped {
				return // o is neither run nor reported
			}
		}
	}
	o.state = done
	x.runOp(o, cyclic)
	x.settle(o)
}

// runOp sends one operation to Inner and records its result.
func (x *run) runOp(o *operation, cyclic []string) {
	if o.err != nil {
		x.fail(o, o.err)
		return
	}
	if msg := x.unusableDep(o, cyclic); msg != "" {
		x.fail(o, scimerr.New(http.StatusConflict, "", "operation %d: %s", o.index, msg))
		return
	}
	data := o.data
	var held []deferredValue
	if !x.h.Faults.Has(FaultBulkIDUnresolved) && data != nil {
		if obj, ok := data.(map[string]any); ok && len(cyclic) > 0 {
			data, held = prune(obj, nil, setOf(cyclic))
		}
		data = resolve(data, x.ids)
	}
	path := x.resolvedPath(o)
	x.record(o, path, x.send(o.method, path, o.query, data, o.version))
	if o.createdID != "" && len(held) > 0 {
		f := &fixup{op: o, refs: cyclic, waiting: setOf(cyclic), held: held}
		x.fixups = append(x.fixups, f)
		for _, ref := range cyclic {
			x.waiting[ref] = append(x.waiting[ref], f)
		}
	}
}

// unusableDep explains why a referenced bulkId has no resource, or is "".
func (x *run) unusableDep(o *operation, cyclic []string) string {
	for _, ref := range o.deps() {
		if ref == o.pathRef && contains(cyclic, ref) {
			return fmt.Sprintf("the path references bulkId %q, which is part of a circle", ref)
		}
		if _, ok := x.ids[ref]; !ok && !contains(cyclic, ref) {
			return fmt.Sprintf("bulkId %q cannot be resolved because its operation failed", ref)
		}
	}
	return ""
}

// resolvedPath is the operation path with a bulkId id segment replaced.
func (x *run) resolvedPath(o *operation) string {
	segs := append([]string(nil), o.segments...)
	if o.pathRef != "" {
		id, ok := x.ids[o.pathRef]
		if !ok {
			return ""
		}
		segs[1] = id
	}
	return "/" + strings.Join(segs, "/")
}

// settle runs the fix-ups that were waiting for o's bulkId.
func (x *run) settle(o *operation) {
	if !o.defines() || x.byBulkID[o.bulkID] != o {
		return
	}
	list := x.waiting[o.bulkID]
	delete(x.waiting, o.bulkID)
	for _, f := range list {
		delete(f.waiting, o.bulkID)
		if len(f.waiting) == 0 && !f.settled {
			x.applyFixup(f)
		}
	}
}

// applyFixup adds the held values of a circular create with one PATCH.
func (x *run) applyFixup(f *fixup) {
	f.settled = true
	if x.stopped {
		x.conflict(f.op, "processing stopped (failOnErrors) before its circular references were resolved")
		return
	}
	for _, ref := range f.refs {
		if _, ok := x.ids[ref]; !ok {
			x.conflict(f.op, fmt.Sprintf("circular reference to bulkId %q cannot be resolved because its operation failed", ref))
			return
		}
	}
	ops := make([]any, 0, len(f.held))
	for _, d := range f.held {
		ops = append(ops, map[string]any{"op": "add", "path": d.patchPath(), "value": resolve(d.value, x.ids)})
	}
	body := map[string]any{"schemas": []string{patchOpURN}, "Operations": ops}
	resp := x.send(http.MethodPatch, "/"+f.op.segments[0]+"/"+f.op.createdID, "", body, "")
	if !resp.success() {
		x.conflict(f.op, "adding its circular references failed: "+resp.detail())
		return
	}
	if v := versionOf(resp); v != "" {
		f.op.result.Version = v
	}
}

// fail records a failed operation.
func (x *run) fail(o *operation, e *scimerr.Error) {
	o.result = &opResult{Method: o.method, BulkID: o.bulkID, Status: fmt.Sprint(e.Status), Response: errorBody(e)}
	if o.method != http.MethodPost && len(o.segments) == 2 {
		if p := x.resolvedPath(o); p != "" {
			o.result.Location = x.absolute(p)
		}
	}
	x.countError()
}

// conflict turns a created resource's result into 409 (RFC 7644 §3.7.1); the
// location stays, because the resource exists.
func (x *run) conflict(o *operation, msg string) {
	e := scimerr.New(http.StatusConflict, "", "operation %d: %s", o.index, msg)
	o.result.Status = fmt.Sprint(e.Status)
	o.result.Response = errorBody(e)
	x.countError()
}

// countError counts a failed operation against failOnErrors (RFC 7644 §3.7).
func (x *run) countError() {
	x.errors++
	if x.limit > 0 && x.errors >= x.limit {
		x.stopped = true
	}
}

// present applies the response-shaping faults to one result.
func (x *run) present(res *opResult) *opResult {
	if x.h.Faults.Has(FaultNoLocation) {
		res.Location = ""
	}
	if x.h.Faults.Has(FaultNoBulkIDEcho) {
		res.BulkID = ""
	}
	if x.h.Faults.Has(FaultStatusWrong) && res.Status == "201" {
		res.Status = "200"
	}
	if x.h.Faults.Has(FaultNoErrorResponse) && !strings.HasPrefix(res.Status, "2") {
		res.Response = nil
	}
	return res
}

func setOf(list []string) map[string]bool {
	s := make(map[string]bool, len(list))
	for _, e := range list {
		s[e] = true
	}
	return s
}

func contains(list []string, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}
