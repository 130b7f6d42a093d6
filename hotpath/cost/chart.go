package cost

import (
	"bytes"
	"fmt"
	"html"
	"math"
)

// SVG renders a hand-written line chart of monthly cost against query volume for both layouts, with the
// break-even marked when found and the profile's own query volume marked at current (negative: none).
func SVG(title string, pts []Point, be BreakEvenPoint, current float64) []byte {
	const w, h, ml, mr, mt, mb = 720.0, 420.0, 80.0, 20.0, 40.0, 50.0
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
	minY = math.Max(0, minY-(maxY-minY)*0.1)
	if math.IsInf(minY, 1) || maxY <= minY {
		minY, maxY = 0, math.Max(1, maxY)
	}
	maxY += (maxY - minY) * 0.15
	x := func(v float64) float64 { return ml + v/maxX*(w-ml-mr) }
	y := func(v float64) float64 { return h - mb - (v-minY)/(maxY-minY)*(h-mt-mb) }
	var b bytes.Buffer
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%.0f" height="%.0f" viewBox="0 0 %.0f %.0f" font-family="sans-serif" font-size="12">`+"\n", w, h, w, h)
	fmt.Fprintf(&b, `<rect width="100%%" height="100%%" fill="white"/>`+"\n")
	fmt.Fprintf(&b, `<text x="%.0f" y="20" font-size="14">%s</text>`+"\n", ml, html.EscapeString(title))
	fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="black"/>`+"\n", ml, h-mb, w-mr, h-mb)
	fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="black"/>`+"\n", ml, mt, ml, h-mb)
	for i := 0; i <= 4; i++ {
		vx, vy := maxX*float64(i)/4, minY+(maxY-minY)*float64(i)/4
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="middle">%.0f</text>`+"\n", x(vx), h-mb+16, vx)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="end">$%.0f</text>`+"\n", ml-6, y(vy)+4, vy)
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#ddd"/>`+"\n", ml, y(vy), w-mr, y(vy))
	}
	fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="middle">query requests/s</text>`+"\n", (ml+w-mr)/2, h-10)
	fmt.Fprintf(&b, `<text x="16" y="%.1f" transform="rotate(-90 16 %.1f)" text-anchor="middle">USD / month</text>`+"\n", (mt+h-mb)/2, (mt+h-mb)/2)
	line := func(get func(Point) float64, color, name string, row int) {
		b.WriteString(`<polyline fill="none" stroke-width="2" stroke="` + color + `" points="`)
		for i, p := range pts {
			if i > 0 {
				b.WriteByte(' ')
			}
			fmt.Fprintf(&b, "%.1f,%.1f", x(p.QPS), y(get(p)))
		}
		b.WriteString(`"/>` + "\n")
		fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="12" height="3" fill="%s"/><text x="%.1f" y="%.1f">%s</text>`+"\n",
			ml+12, mt+8+float64(row)*16, color, ml+30, mt+12+float64(row)*16, name)
	}
	line(func(p Point) float64 { return p.Hybrid }, "#1f77b4", "hybrid (Lambda edges)", 0)
	line(func(p Point) float64 { return p.EKSOnly }, "#d62728", "EKS-only (edge pods)", 1)
	if be.Found && be.At <= maxX {
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="black" stroke-dasharray="4 3"/>`+"\n", x(be.At), mt, x(be.At), h-mb)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f">break-even %.1f q/s</text>`+"\n", x(be.At)+4, mt+50, be.At)
	} else {
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f">no break-even in range: %s cheaper throughout</text>`+"\n", ml+12, mt+50, be.CheaperBelow)
	}
	if current >= 0 && current <= maxX {
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#2ca02c" stroke-dasharray="2 2"/>`+"\n", x(current), mt+60, x(current), h-mb)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" fill="#2ca02c">profile %.0f q/s</text>`+"\n", x(current)+4, mt+72, current)
	}
	b.WriteString("</svg>\n")
	return b.Bytes()
}
