package parser_test

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/waggle-dev/waggle/hiveql/ast"
	"github.com/waggle-dev/waggle/hiveql/parser"
	"github.com/waggle-dev/waggle/hiveql/printer"
)

var spanType = reflect.TypeFor[ast.Span]()

// diffTrees compares two syntax trees field by field, ignoring positions (Span fields), and describes the
// first difference ("" when equal).
func diffTrees(a, b any) string {
	return diffValues("", reflect.ValueOf(a), reflect.ValueOf(b))
}

func diffValues(path string, a, b reflect.Value) string {
	if a.IsValid() != b.IsValid() {
		return path + ": one side missing"
	}
	if !a.IsValid() {
		return ""
	}
	if a.Type() != b.Type() {
		return fmt.Sprintf("%s: type %s vs %s", path, a.Type(), b.Type())
	}
	switch a.Kind() {
	case reflect.Pointer, reflect.Interface:
		if a.IsNil() || b.IsNil() {
			if a.IsNil() != b.IsNil() {
				return fmt.Sprintf("%s: nil vs non-nil (%v / %v)", path, a, b)
			}
			return ""
		}
		return diffValues(path, a.Elem(), b.Elem())
	case reflect.Struct:
		for i := 0; i < a.NumField(); i++ {
			f := a.Type().Field(i)
			if f.Type == spanType || !f.IsExported() {
				continue
			}
			if d := diffValues(path+"."+f.Name, a.Field(i), b.Field(i)); d != "" {
				return d
			}
		}
		return ""
	case reflect.Slice:
		if a.Len() != b.Len() {
			return fmt.Sprintf("%s: len %d vs %d", path, a.Len(), b.Len())
		}
		for i := 0; i < a.Len(); i++ {
			if d := diffValues(fmt.Sprintf("%s[%d]", path, i), a.Index(i), b.Index(i)); d != "" {
				return d
			}
		}
		return ""
	default:
		if !reflect.DeepEqual(a.Interface(), b.Interface()) {
			return fmt.Sprintf("%s: %#v vs %#v", path, a.Interface(), b.Interface())
		}
		return ""
	}
}

// roundTrip parses src, prints it, parses the output and reports a difference, if any.
func roundTrip(src string) (printed string, diff string, err error) {
	st, err := parser.ParseStatement(src)
	if err != nil {
		return "", "", err
	}
	printed = printer.Print(st)
	st2, err := parser.ParseStatement(printed)
	if err != nil {
		return printed, "printed text does not parse: " + err.Error(), nil
	}
	return printed, diffTrees(st, st2), nil
}

func TestCorpusRoundTrip(t *testing.T) {
	for _, c := range loadCorpus(t) {
		printed, diff, err := roundTrip(c.text)
		if err != nil {
			continue // reported by TestCorpusEveryStatementParses
		}
		if diff != "" {
			t.Errorf("%s: parse(print(parse(x))) != parse(x): %s\nsource:  %s\nprinted: %s", c.where, diff, c.text, printed)
		}
	}
}

func TestTreeComparatorIgnoresPositionsOnly(t *testing.T) {
	parse := func(s string) ast.Stmt {
		st, err := parser.ParseStatement(s)
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	if d := diffTrees(parse("SELECT a FROM t"), parse("select   a\nfrom t")); d != "" {
		t.Errorf("same statement, different spacing: %s", d)
	}
	for _, pair := range [][2]string{
		{"SELECT a FROM t", "SELECT b FROM t"},
		{"SELECT 1 + 2 * 3", "SELECT (1 + 2) * 3"},
		{"SELECT `a` FROM t", "SELECT a FROM t"},
		{"SELECT a FROM t LIMIT 1", "SELECT a FROM t"},
	} {
		if d := diffTrees(parse(pair[0]), parse(pair[1])); d == "" {
			t.Errorf("%q and %q compare equal", pair[0], pair[1])
		}
	}
}
