package schema

// The Device resource type is not defined by any RFC: it is the reference
// server's example of a custom resource type (RFC 7643 §6 lets a service
// provider define its own), so that clients and the harness can exercise
// resource types beyond User and Group. Its URNs are the project's own.
const (
	URNDevice         = "urn:scimconform:params:scim:schemas:Device"
	URNDeviceHardware = "urn:scimconform:params:scim:schemas:extension:DeviceHardware"
)

// DeviceSchema returns the core schema of the Device resource type: a
// registered device with a required, server-unique serial number and an
// owning User. Each call returns a fresh copy.
func DeviceSchema() *Schema {
	return &Schema{
		ID:          URNDevice,
		Name:        "Device",
		Description: "A device registered with the service provider",
		Attributes: []*Attribute{
			str("serialNumber", "Manufacturer serial number of the device; unique within the service provider.",
				required, caseExact, unique(UniqueServer)),
			str("displayName", "Name of the device shown to end users."),
			str("model", "Model designation of the device."),
			complexAttr("owner", "The User the device is assigned to.", []*Attribute{
				str("value", "id of the owning User.", caseExact),
				ref("$ref", "URI of the owning User.", refTypes("User")),
				str("display", "Name of the owning User, for display only."),
			}),
			boolean("active", "Whether the device may be used."),
		},
	}
}

// DeviceHardwareSchema returns the extension of the Device resource type
// with hardware details.
func DeviceHardwareSchema() *Schema {
	return &Schema{
		ID:          URNDeviceHardware,
		Name:        "DeviceHardware",
		Description: "Hardware details of a Device",
		Attributes: []*Attribute{
			str("firmwareVersion", "Version of the firmware installed on the device."),
			str("manufacturer", "Name of the device's manufacturer."),
		},
	}
}

// DeviceResource returns the schema set of the Device resource type: the
// core Device schema with the DeviceHardware extension.
func DeviceResource() *ResourceSchema {
	return &ResourceSchema{Core: DeviceSchema(), Extensions: []*Schema{DeviceHardwareSchema()}}
}
