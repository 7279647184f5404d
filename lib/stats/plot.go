package stats

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"io"
	"strings"

	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"
)

// Plot geometry, in pixels.
const (
	plotW, plotH         = 960, 480
	marginL, marginR     = 70, 20
	marginTop, marginBot = 40, 50
)

var (
	barColor  = color.RGBA{0x3b, 0x6e, 0xa8, 0xff}
	axisColor = color.RGBA{0x33, 0x33, 0x33, 0xff}
)

// bar is one histogram bar in pixel coordinates.
type bar struct{ x0, x1, y0 int }

// layout places the histogram's bars and returns the largest count.
func layout(h []Bin) ([]bar, int) {
	if len(h) == 0 {
		return nil, 0
	}
	lo, hi, top := h[0].From, h[len(h)-1].To, 0
	for _, b := range h {
		top = max(top, b.Count)
	}
	span := float64(plotW - marginL - marginR)
	bars := make([]bar, len(h))
	for i, b := range h {
		x0 := marginL + int(float64(b.From-lo)/float64(hi-lo)*span)
		x1 := marginL + int(float64(b.To-lo)/float64(hi-lo)*span)
		height := int(float64(b.Count) / float64(top) * float64(plotH-marginTop-marginBot))
		bars[i] = bar{x0, max(x1-1, x0+1), plotH - marginBot - height}
	}
	return bars, top
}

// WriteSVG draws the token histogram as an SVG image.
func WriteSVG(w io.Writer, s Summary, title string) error {
	bars, top := layout(s.Histogram)
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" font-size="12">`+"\n", plotW, plotH)
	fmt.Fprintf(&b, `<rect width="100%%" height="100%%" fill="white"/>`+"\n")
	fmt.Fprintf(&b, `<text x="%d" y="24" font-size="16">%s</text>`+"\n", marginL, escape(title))
	for i, r := range bars {
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" fill="#3b6ea8"><title>%d-%d tokens: %d</title></rect>`+"\n",
			r.x0, r.y0, r.x1-r.x0, plotH-marginBot-r.y0, s.Histogram[i].From, s.Histogram[i].To, s.Histogram[i].Count)
	}
	fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#333"/>`+"\n", marginL, plotH-marginBot, plotW-marginR, plotH-marginBot)
	fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#333"/>`+"\n", marginL, marginTop, marginL, plotH-marginBot)
	if len(s.Histogram) > 0 {
		fmt.Fprintf(&b, `<text x="%d" y="%d">%d</text>`+"\n", marginL, plotH-marginBot+18, s.Histogram[0].From)
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end">%d tokens</text>`+"\n", plotW-marginR, plotH-marginBot+18, s.Histogram[len(s.Histogram)-1].To)
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end">%d</text>`+"\n", marginL-6, marginTop+4, top)
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end">0</text>`+"\n", marginL-6, plotH-marginBot)
	}
	b.WriteString("</svg>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func escape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// WritePNG draws the token histogram as a PNG image.
func WritePNG(w io.Writer, s Summary, title string) error {
	img := image.NewRGBA(image.Rect(0, 0, plotW, plotH))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	bars, top := layout(s.Histogram)
	for _, r := range bars {
		draw.Draw(img, image.Rect(r.x0, r.y0, r.x1, plotH-marginBot), image.NewUniform(barColor), image.Point{}, draw.Src)
	}
	axis := image.NewUniform(axisColor)
	draw.Draw(img, image.Rect(marginL, plotH-marginBot, plotW-marginR, plotH-marginBot+1), axis, image.Point{}, draw.Src)
	draw.Draw(img, image.Rect(marginL-1, marginTop, marginL, plotH-marginBot), axis, image.Point{}, draw.Src)
	label := func(x, y int, text string) {
		d := font.Drawer{Dst: img, Src: axis, Face: basicfont.Face7x13, Dot: fixed.P(x, y)}
		d.DrawString(text)
	}
	label(marginL, 24, title)
	if len(s.Histogram) > 0 {
		label(marginL, plotH-marginBot+18, fmt.Sprint(s.Histogram[0].From))
		end := fmt.Sprintf("%d tokens", s.Histogram[len(s.Histogram)-1].To)
		label(plotW-marginR-7*len(end), plotH-marginBot+18, end)
		label(4, marginTop+4, fmt.Sprint(top))
		label(4, plotH-marginBot, "0")
	}
	return png.Encode(w, img)
}
