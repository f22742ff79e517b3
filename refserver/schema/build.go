package schema

// mod adjusts one characteristic of an attribute under construction.
type mod func(*Attribute)

// attr builds an attribute with the RFC 7643 §2.2 defaults (single-valued,
// optional, case-insensitive, readWrite, returned by default, not unique)
// and applies the modifiers in order.
func attr(name, typ, desc string, mods ...mod) *Attribute {
	a := &Attribute{
		Name:        name,
		Type:        typ,
		Description: desc,
		Mutability:  ReadWrite,
		Returned:    ReturnedDefault,
		Uniqueness:  UniqueNone,
	}
	for _, m := range mods {
		m(a)
	}
	return a
}

func multi(a *Attribute)     { a.MultiValued = true }
func required(a *Attribute)  { a.Required = true }
func caseExact(a *Attribute) { a.CaseExact = true }
func readOnly(a *Attribute)  { a.Mutability = ReadOnly }
func immutable(a *Attribute) { a.Mutability = Immutable }

func writeOnly(a *Attribute) {
	a.Mutability = WriteOnly
	a.Returned = ReturnedNever
}

func returned(r string) mod     { return func(a *Attribute) { a.Returned = r } }
func unique(u string) mod       { return func(a *Attribute) { a.Uniqueness = u } }
func canon(vals ...string) mod  { return func(a *Attribute) { a.CanonicalValues = vals } }
func refTypes(ts ...string) mod { return func(a *Attribute) { a.ReferenceTypes = ts } }
func subs(sa ...*Attribute) mod { return func(a *Attribute) { a.SubAttributes = sa } }
func allReadOnly(a *Attribute)  { markReadOnly(a) }
func markReadOnly(a *Attribute) {
	a.Mutability = ReadOnly
	for _, s := range a.SubAttributes {
		markReadOnly(s)
	}
}

// str, ref, boolean and complex are shorthands for the common types.
func str(name, desc string, mods ...mod) *Attribute { return attr(name, TypeString, desc, mods...) }
func ref(name, desc string, mods ...mod) *Attribute { return attr(name, TypeReference, desc, mods...) }
func boolean(name, desc string, mods ...mod) *Attribute {
	return attr(name, TypeBoolean, desc, mods...)
}
func complexAttr(name, desc string, sa []*Attribute, mods ...mod) *Attribute {
	return attr(name, TypeComplex, desc, append([]mod{subs(sa...)}, mods...)...)
}

// plural builds the usual value/display/type/primary sub-attributes of a
// multi-valued attribute (RFC 7643 §2.4) with the given value type and
// canonical type values.
func plural(valueType, valueDesc string, types []string, refs ...string) []*Attribute {
	value := attr("value", valueType, valueDesc)
	if len(refs) > 0 {
		value.ReferenceTypes = refs
	}
	typ := str("type", "A label naming the function of this value.")
	typ.CanonicalValues = types
	return []*Attribute{
		value,
		str("display", "A human-readable form of the value, for display only."),
		typ,
		boolean("primary", "Marks the preferred value; true at most once."),
	}
}
