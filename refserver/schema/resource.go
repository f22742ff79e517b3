package schema

// UserResource returns the schema set of the User resource type: the core
// User schema with the enterprise extension.
func UserResource() *ResourceSchema {
	return &ResourceSchema{Core: UserSchema(), Extensions: []*Schema{EnterpriseUserSchema()}}
}

// GroupResource returns the schema set of the Group resource type.
func GroupResource() *ResourceSchema {
	return &ResourceSchema{Core: GroupSchema()}
}

// All returns every schema the reference server publishes on /Schemas, in
// a stable order.
func All() []*Schema {
	return []*Schema{
		UserSchema(), GroupSchema(), EnterpriseUserSchema(), DeviceSchema(), DeviceHardwareSchema(),
		ServiceProviderConfigSchema(), ResourceTypeSchema(), SchemaSchema(),
	}
}

// Schemas returns every schema of the resource type: the core schema first,
// then the extensions.
func (rs *ResourceSchema) Schemas() []*Schema {
	return append([]*Schema{rs.Core}, rs.Extensions...)
}
