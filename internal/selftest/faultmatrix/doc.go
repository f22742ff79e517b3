// Package faultmatrix holds the two proofs of design.md §9 as tests: the
// full suite passes on the correct reference server, and every fault switch
// makes the spec of the requirement it breaks fail, and no other. They sit in
// a package of their own so that their test binary has go test's timeout to
// itself.
package faultmatrix
