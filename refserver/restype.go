package refserver

import "github.com/scimconform/scimconform/refserver/schema"

// resourceType is one resource type served by the reference server
// (RFC 7643 §6).
type resourceType struct {
	Name        string // "User"
	Endpoint    string // "/Users"
	Description string
	Schema      *schema.ResourceSchema
}

func (rt *resourceType) isUser() bool  { return rt.Name == "User" }
func (rt *resourceType) isGroup() bool { return rt.Name == "Group" }

func newResourceTypes() (users, groups *resourceType) {
	users = &resourceType{Name: "User", Endpoint: "/Users", Description: "User accounts",
		Schema: schema.UserResource()}
	groups = &resourceType{Name: "Group", Endpoint: "/Groups", Description: "Groups of Users and Groups",
		Schema: schema.GroupResource()}
	return users, groups
}
