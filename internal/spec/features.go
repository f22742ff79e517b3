package spec

import (
	"fmt"
	"sort"
	"strings"
)

// Feature is an optional SCIM capability a spec may need. Capabilities are read
// from the server's discovery endpoints and may be overridden by the user.
type Feature string

// The features the harness knows. Feature names are lower-case and are the keys
// of the `features:` config map and of `--feature NAME=on|off`.
const (
	FeaturePatch          Feature = "patch"          // ServiceProviderConfig patch.supported
	FeatureBulk           Feature = "bulk"           // ServiceProviderConfig bulk.supported
	FeatureFilter         Feature = "filter"         // ServiceProviderConfig filter.supported
	FeatureSort           Feature = "sort"           // ServiceProviderConfig sort.supported
	FeatureETag           Feature = "etag"           // ServiceProviderConfig etag.supported
	FeatureChangePassword Feature = "changepassword" // ServiceProviderConfig changePassword.supported
	FeatureCursor         Feature = "cursor"         // RFC 9865 pagination.cursor
	FeatureIndexPaging    Feature = "indexpaging"    // RFC 9865 pagination.index (default true)
	FeatureMe             Feature = "me"             // /Me answers for the authenticated subject
	FeatureUsers          Feature = "users"          // a User resource type is published
	FeatureGroups         Feature = "groups"         // a Group resource type is published
	FeatureEnterpriseUser Feature = "enterpriseuser" // User declares the enterprise extension
	FeatureSearch         Feature = "search"         // POST .search is answered (not advertised by SCIM; probed)
	FeatureCustomTypes    Feature = "customtypes"    // a resource type other than User and Group is published
	FeatureTenants        Feature = "tenants"        // the config gives a credential of a second tenant (tenants:)
)

// AllFeatures lists every known feature, sorted by name.
func AllFeatures() []Feature {
	fs := []Feature{FeaturePatch, FeatureBulk, FeatureFilter, FeatureSort, FeatureETag,
		FeatureChangePassword, FeatureCursor, FeatureIndexPaging, FeatureMe, FeatureUsers,
		FeatureGroups, FeatureEnterpriseUser, FeatureSearch, FeatureCustomTypes, FeatureTenants}
	sort.Slice(fs, func(i, j int) bool { return fs[i] < fs[j] })
	return fs
}

// IsKnown reports whether f is one of AllFeatures.
func (f Feature) IsKnown() bool {
	for _, k := range AllFeatures() {
		if k == f {
			return true
		}
	}
	return false
}

// ParseFeature accepts a feature name in any case.
func ParseFeature(s string) (Feature, error) {
	f := Feature(strings.ToLower(strings.TrimSpace(s)))
	if !f.IsKnown() {
		names := make([]string, 0)
		for _, k := range AllFeatures() {
			names = append(names, string(k))
		}
		return "", fmt.Errorf("unknown feature %q (known: %s)", s, strings.Join(names, ", "))
	}
	return f, nil
}
