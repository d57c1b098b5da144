package token

import "testing"

func TestFilePositionIsOneBasedLineAndByteColumn(t *testing.T) {
	src := "select 1;\n  from t\r\n\n'é' x"
	f := NewFile("a.sql", src)
	for _, tc := range []struct {
		pos  Pos
		want string
	}{
		{0, "a.sql:1:1"},
		{7, "a.sql:1:8"},
		{9, "a.sql:1:10"}, // the '\n' belongs to line 1
		{10, "a.sql:2:1"}, // first byte of line 2
		{12, "a.sql:2:3"}, // 'f'
		{18, "a.sql:2:9"}, // '\r' is the last byte of line 2
		{20, "a.sql:3:1"}, // empty line
		{21, "a.sql:4:1"}, // opening quote
		{25, "a.sql:4:5"}, // 'é' is two bytes: the closing quote is column 4, the space 5
		{27, "a.sql:4:7"}, // end of text: where EOF is reported
		{28, "a.sql"},     // past the end: invalid
		{NoPos, "a.sql"},  // no position
	} {
		if got := f.Position(tc.pos).String(); got != tc.want {
			t.Errorf("Position(%d) = %s, want %s", tc.pos, got, tc.want)
		}
	}
	if f.Size() != len(src) || f.Name() != "a.sql" || f.LineCount() != 4 {
		t.Errorf("Size/Name/LineCount = %d/%s/%d", f.Size(), f.Name(), f.LineCount())
	}
	if f.LineStart(2) != 10 || f.LineStart(4) != 21 || f.LineStart(0) != NoPos || f.LineStart(5) != NoPos {
		t.Error("LineStart wrong")
	}
}

func TestPositionStringWithoutFileName(t *testing.T) {
	f := NewFile("", "a\nb")
	if got := f.Position(2).String(); got != "2:1" {
		t.Errorf("got %s, want 2:1", got)
	}
	if got := f.Position(NoPos).String(); got != "-" {
		t.Errorf("invalid position prints %q, want -", got)
	}
}

func TestNoPosIsInvalidAndZeroIsValid(t *testing.T) {
	if NoPos.IsValid() || !Pos(0).IsValid() {
		t.Error("NoPos must be invalid and offset 0 valid")
	}
}

func TestEmptyFileHasOneLine(t *testing.T) {
	f := NewFile("", "")
	if f.LineCount() != 1 || f.Position(0).String() != "1:1" {
		t.Errorf("empty file: %d lines, pos 0 = %s", f.LineCount(), f.Position(0))
	}
}
