package ast

import "reflect"

// Inspect traverses the tree rooted at n in depth-first source order, calling f for each non-nil node; if
// f returns false, Inspect skips that node's children. It visits every field of a node that holds a Node,
// a slice of Nodes or a slice of slices of Nodes (so a new node type or field needs no change here).
func Inspect(n Node, f func(Node) bool) {
	if isNil(n) || !f(n) {
		return
	}
	v := reflect.ValueOf(n)
	if v.Kind() == reflect.Pointer {
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return
	}
	inspectStruct(v, f)
}

var nodeType = reflect.TypeFor[Node]()

func inspectStruct(v reflect.Value, f func(Node) bool) {
	for i := 0; i < v.NumField(); i++ {
		fv := v.Field(i)
		if !v.Type().Field(i).IsExported() {
			continue
		}
		inspectValue(fv, f)
	}
}

func inspectValue(fv reflect.Value, f func(Node) bool) {
	switch fv.Kind() {
	case reflect.Interface, reflect.Pointer:
		if fv.IsNil() {
			return
		}
		if fv.Type().Implements(nodeType) {
			Inspect(fv.Interface().(Node), f)
		}
	case reflect.Slice:
		for j := 0; j < fv.Len(); j++ {
			inspectValue(fv.Index(j), f)
		}
	case reflect.Struct:
		// Embedded clause groups such as Tail.
		if fv.Type() != reflect.TypeFor[Span]() {
			inspectStruct(fv, f)
		}
	}
}

func isNil(n Node) bool {
	if n == nil {
		return true
	}
	v := reflect.ValueOf(n)
	return v.Kind() == reflect.Pointer && v.IsNil()
}
