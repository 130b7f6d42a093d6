package cost

import (
	"bytes"
	"fmt"
	"html"
	"math"
	"strconv"
)

// SVG renders a hand-written line chart of monthly cost against query volume for both layouts, with the
// break-even marked (a dashed line and a dot on the crossing) when found and the profile's own query
// volume marked at current (negative: none).
func SVG(title string, pts []Point, be BreakEvenPoint, current float64) []byte {
	const w, h, ml, mr, mt, mb = 760.0, 440.0, 84.0, 40.0, 64.0, 50.0
	maxX, minY, maxY := 0.0, math.Inf(1), 0.0
	for _, p := range pts {
		maxX = math.Max(maxX, p.QPS)
		maxY = math.Max(maxY, math.Max(p.Hybrid, p.EKSOnly))
		minY = math.Min(minY, math.Min(p.Hybrid, p.EKSOnly))
	}
	if maxX == 0 {
		maxX = 1
	}
	// The y axis starts below the cheapest point, not at zero: the fixed estate dwarfs the difference
	// between the layouts, which is what the chart is for.
	if math.IsInf(minY, 1) || maxY <= minY {
		minY, maxY = 0, math.Max(1, maxY)
	}
	yStep := niceStep((maxY - minY) / 5)
	minY = math.Max(0, math.Floor((minY-(maxY-minY)*0.05)/yStep)*yStep)
	maxY = math.Ceil((maxY+(maxY-minY)*0.05)/yStep) * yStep
	xStep := niceStep(maxX / 5)
	x := func(v float64) float64 { return ml + v/maxX*(w-ml-mr) }
	y := func(v float64) float64 { return h - mb - (v-minY)/(maxY-minY)*(h-mt-mb) }
	var b bytes.Buffer
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%.0f" height="%.0f" viewBox="0 0 %.0f %.0f" font-family="sans-serif" font-size="12">`+"\n", w, h, w, h)
	fmt.Fprintf(&b, `<rect width="100%%" height="100%%" fill="white"/>`+"\n")
	fmt.Fprintf(&b, `<text x="%.0f" y="22" font-size="15">%s</text>`+"\n", ml, html.EscapeString(title))
	// The legend sits above the plot, where no curve or marker can cover it.
	legend := []struct{ color, name string }{{"#1f77b4", "hybrid (Lambda edges)"}, {"#d62728", "EKS-only (edge pods)"}}
	for i, l := range legend {
		lx := ml + float64(i)*220
		fmt.Fprintf(&b, `<rect x="%.1f" y="38" width="18" height="3" fill="%s"/><text x="%.1f" y="43">%s</text>`+"\n", lx, l.color, lx+24, l.name)
	}
	for v := minY; v <= maxY+yStep/2; v += yStep {
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#e3e3e3"/>`+"\n", ml, y(v), w-mr, y(v))
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="end">$%s</text>`+"\n", ml-6, y(v)+4, thousands(v))
	}
	for v := 0.0; v <= maxX+xStep/2; v += xStep {
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="black"/>`+"\n", x(v), h-mb, x(v), h-mb+4)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="middle">%s</text>`+"\n", x(v), h-mb+17, thousands(v))
	}
	fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="black"/>`+"\n", ml, h-mb, w-mr, h-mb)
	fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="black"/>`+"\n", ml, mt, ml, h-mb)
	fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="middle">query requests/s (all other load at the profile)</text>`+"\n", (ml+w-mr)/2, h-12)
	fmt.Fprintf(&b, `<text x="16" y="%.1f" transform="rotate(-90 16 %.1f)" text-anchor="middle">USD / month</text>`+"\n", (mt+h-mb)/2, (mt+h-mb)/2)
	line := func(get func(Point) float64, color string) {
		b.WriteString(`<polyline fill="none" stroke-width="2" stroke="` + color + `" points="`)
		for i, p := range pts {
			if i > 0 {
				b.WriteByte(' ')
			}
			fmt.Fprintf(&b, "%.1f,%.1f", x(p.QPS), y(get(p)))
		}
		b.WriteString(`"/>` + "\n")
	}
	line(func(p Point) float64 { return p.Hybrid }, legend[0].color)
	line(func(p Point) float64 { return p.EKSOnly }, legend[1].color)
	if current >= 0 && current <= maxX {
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#2ca02c" stroke-dasharray="2 2"/>`+"\n", x(current), mt, x(current), h-mb)
		label(&b, x(current)+5, h-mb-10, "#2ca02c", fmt.Sprintf("profile %.0f q/s", current))
	}
	if be.Found && be.At <= maxX {
		cx, cy := x(be.At), y(interpolate(pts, be.At))
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="black" stroke-dasharray="5 3"/>`+"\n", cx, mt, cx, h-mb)
		fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="5" fill="none" stroke="black" stroke-width="2"/>`+"\n", cx, cy)
		label(&b, cx+8, mt+16, "black", fmt.Sprintf("break-even %.1f q/s: %s cheaper below, %s above", be.At, be.CheaperBelow, be.CheaperBelow.other()))
	} else {
		label(&b, ml+8, mt+16, "black", fmt.Sprintf("no break-even in range: %s cheaper throughout", be.CheaperBelow))
	}
	b.WriteString("</svg>\n")
	return b.Bytes()
}

// label writes text on a white box, so it stays legible over grid lines and curves.
func label(b *bytes.Buffer, x, y float64, color, text string) {
	fmt.Fprintf(b, `<rect x="%.1f" y="%.1f" width="%.1f" height="17" fill="white" fill-opacity="0.85"/>`, x-3, y-13, float64(len(text))*6.8+6)
	fmt.Fprintf(b, `<text x="%.1f" y="%.1f" fill="%s">%s</text>`+"\n", x, y, color, html.EscapeString(text))
}

// interpolate returns the hybrid total at qps, linearly between the samples around it.
func interpolate(pts []Point, qps float64) float64 {
	for i := 1; i < len(pts); i++ {
		if pts[i].QPS >= qps {
			a, c := pts[i-1], pts[i]
			if c.QPS == a.QPS {
				return c.Hybrid
			}
			return a.Hybrid + (c.Hybrid-a.Hybrid)*(qps-a.QPS)/(c.QPS-a.QPS)
		}
	}
	if len(pts) == 0 {
		return 0
	}
	return pts[len(pts)-1].Hybrid
}

// niceStep rounds raw up to 1, 2 or 5 times a power of ten, so axis ticks fall on round numbers.
func niceStep(raw float64) float64 {
	if raw <= 0 || math.IsNaN(raw) || math.IsInf(raw, 0) {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if raw <= m*p {
			return m * p
		}
	}
	return 10 * p
}

// thousands formats v rounded to a whole number with comma separators.
func thousands(v float64) string {
	s := strconv.FormatInt(int64(math.Round(v)), 10)
	neg := s[0] == '-'
	if neg {
		s = s[1:]
	}
	var out []byte
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	if neg {
		return "-" + string(out)
	}
	return string(out)
}
