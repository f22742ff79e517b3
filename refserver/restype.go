package refserver

import (
	"strings"

	"github.com/scimconform/scimconform/refserver/schema"
)

// resourceType is one resource type served by the reference server
// (RFC 7643 §6). Every type is served by the same generic machinery (CRUD,
// query, PATCH, Bulk, ETags); only the RFC-defined behaviours of User
// (password, derived groups) and Group (members) are special.
type resourceType struct {
	Name        string // "User"
	Endpoint    string // "/Users"
	Description string
	Schema      *schema.ResourceSchema
	// unique are the core attributes whose values no two resources of this
	// type may share (uniqueness server or global, RFC 7643 §7): singular
	// strings such as User.userName and Device.serialNumber.
	unique []*schema.Attribute
}

func (rt *resourceType) isUser() bool   { return rt.Name == "User" }
func (rt *resourceType) isGroup() bool  { return rt.Name == "Group" }
func (rt *resourceType) isDevice() bool { return rt.Name == "Device" }

// segment is the endpoint's path segment below the base path: "Users".
func (rt *resourceType) segment() string { return strings.TrimPrefix(rt.Endpoint, "/") }

// types are the resource types of one server, shared by all its tenants
// (records are matched to their type by pointer).
type types struct {
	users, groups, devices *resourceType
}

// all lists the resource types in discovery order.
func (t types) all() []*resourceType { return []*resourceType{t.users, t.groups, t.devices} }

func newResourceTypes() types {
	return types{
		users: newResourceType("User", "/Users", "User accounts", schema.UserResource()),
		groups: newResourceType("Group", "/Groups", "Groups of Users and Groups",
			schema.GroupResource()),
		devices: newResourceType("Device", "/Devices", "Devices registered to Users (a custom resource type)",
			schema.DeviceResource()),
	}
}

func newResourceType(name, endpoint, desc string, rs *schema.ResourceSchema) *resourceType {
	rt := &resourceType{Name: name, Endpoint: endpoint, Description: desc, Schema: rs}
	for _, a := range rs.Core.Attributes {
		if a.Type == schema.TypeString && !a.MultiValued &&
			(a.Uniqueness == schema.UniqueServer || a.Uniqueness == schema.UniqueGlobal) {
			rt.unique = append(rt.unique, a)
		}
	}
	return rt
}
