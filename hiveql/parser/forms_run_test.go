package parser_test

import "testing"

func TestEveryStatementFormParsesAndRoundTrips(t *testing.T) {
	for _, src := range statementForms {
		printed, diff, err := roundTrip(src)
		if err != nil {
			t.Errorf("%s\n  parse error: %v", src, err)
			continue
		}
		if diff != "" {
			t.Errorf("%s\n  printed: %s\n  round trip differs: %s", src, printed, diff)
		}
	}
}
