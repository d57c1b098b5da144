package output

import (
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
)

func TestFormatDoubleLikeJava(t *testing.T) {
	tests := []struct {
		name string
		in   float64
		want string
	}{
		{"integral value keeps .0", 1, "1.0"},
		{"negative", -2.5, "-2.5"},
		{"shortest round-trip digits", 6.890000000000011, "6.890000000000011"},
		{"lower plain bound", 0.001, "0.001"},
		{"below plain range is scientific", 0.0001, "1.0E-4"},
		{"upper plain bound exclusive", 1e7, "1.0E7"},
		{"just below 1e7", 9999999, "9999999.0"},
		{"large", 1.0e10, "1.0E10"},
		{"scientific with digits", 1.234e-5, "1.234E-5"},
		{"zero", 0, "0.0"},
		{"negative zero", math.Copysign(0, -1), "-0.0"},
		{"NaN", math.NaN(), "NaN"},
		{"infinity", math.Inf(1), "Infinity"},
		{"minus infinity", math.Inf(-1), "-Infinity"},
		{"tenth", 0.1, "0.1"},
		{"hundreds", 123.456, "123.456"},
		{"one digit shortest but two digits closer (Double.MIN_VALUE)", math.SmallestNonzeroFloat64, "4.9E-324"},
		{"Double.MAX_VALUE", math.MaxFloat64, "1.7976931348623157E308"},
		{"one digit exact stays one digit", 2e-5, "2.0E-5"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := FormatDouble(tc.in); got != tc.want {
				t.Fatalf("FormatDouble(%v) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestFormatFloatLikeJava(t *testing.T) {
	tests := []struct {
		name string
		in   float32
		want string
	}{
		{"float shortest digits", 6.8899984, "6.8899984"},
		{"float integral", 3, "3.0"},
		{"float large", 1e10, "1.0E10"},
		{"one digit shortest but two digits closer (Float.MIN_VALUE)", math.SmallestNonzeroFloat32, "1.4E-45"},
		{"Float.MAX_VALUE", math.MaxFloat32, "3.4028235E38"},
		{"float tenth", 0.1, "0.1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := FormatFloat(tc.in); got != tc.want {
				t.Fatalf("FormatFloat(%v) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

// TestFormatDoubleRoundTrips checks, over many random bit patterns, the properties Java's output has: it
// parses back to the same value, uses plain notation exactly for 1e-3 <= |x| < 1e7, and always has a digit
// after the point.
func TestFormatDoubleRoundTrips(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 200000 {
		f := math.Float64frombits(r.Uint64())
		if math.IsNaN(f) || math.IsInf(f, 0) {
			continue
		}
		s := FormatDouble(f)
		g, err := strconv.ParseFloat(s, 64)
		if err != nil || g != f {
			t.Fatalf("FormatDouble(%v) = %q does not parse back", f, s)
		}
		plain := math.Abs(f) >= 1e-3 && math.Abs(f) < 1e7
		if plain == strings.Contains(s, "E") {
			t.Fatalf("FormatDouble(%v) = %q: wrong notation", f, s)
		}
		mant, _, _ := strings.Cut(s, "E")
		if dot := strings.IndexByte(mant, '.'); dot < 0 || dot == len(mant)-1 {
			t.Fatalf("FormatDouble(%v) = %q: no digit after the point", f, s)
		}
		f32 := math.Float32frombits(r.Uint32())
		if s := FormatFloat(f32); !math.IsNaN(float64(f32)) && !math.IsInf(float64(f32), 0) {
			g, err := strconv.ParseFloat(s, 32)
			if err != nil || float32(g) != f32 {
				t.Fatalf("FormatFloat(%v) = %q does not parse back", f32, s)
			}
		}
	}
}
