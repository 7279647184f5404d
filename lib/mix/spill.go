package mix

import (
	"bufio"
	"cmp"
	"container/heap"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
)

// Spill is a folder of sorted runs shared by Sorters: an external sort.
type Spill struct {
	Dir     string
	BufSize int // read and write buffer of one run
	runs    int
}

// NewSpill makes a fresh folder for runs under dir ("" for the system's
// temporary folder, $TMPDIR). Remove it with Close.
func NewSpill(dir string) (*Spill, error) {
	d, err := os.MkdirTemp(dir, "dw-mix-")
	if err != nil {
		return nil, err
	}
	return &Spill{Dir: d, BufSize: 64 << 10}, nil
}

// Close removes the folder and every run in it.
func (s *Spill) Close() error { return os.RemoveAll(s.Dir) }

// itemOverhead is what holding an item costs besides its bytes.
const itemOverhead = 48

type item struct {
	key, seq uint64
	data     []byte
}

func (a item) compare(b item) int {
	if c := cmp.Compare(a.key, b.key); c != 0 {
		return c
	}
	return cmp.Compare(a.seq, b.seq)
}

// Sorter returns its items in the order of their keys (of addition on a
// tie), holding at most Budget bytes of them at a time: when they reach it,
// they are sorted and written to a run, and the runs are merged at the end.
type Sorter struct {
	Budget int64
	spill  *Spill
	buf    []item
	held   int64
	seq    uint64
	runs   []string
	Bytes  int64 // written to runs, for reports
}

// Sorter returns a Sorter that spills into s.
func (s *Spill) Sorter(budget int64) *Sorter { return &Sorter{Budget: budget, spill: s} }

// Add adds data (copied) under key.
func (t *Sorter) Add(key uint64, data []byte) error {
	t.buf = append(t.buf, item{key, t.seq, append([]byte(nil), data...)})
	t.seq++
	t.held += int64(len(data)) + itemOverhead
	if t.held >= t.Budget {
		return t.flush()
	}
	return nil
}

// flush writes the items held as a sorted run.
func (t *Sorter) flush() error {
	if len(t.buf) == 0 {
		return nil
	}
	slices.SortFunc(t.buf, item.compare)
	name, err := t.spill.write(func(yield func(item) error) error {
		for _, it := range t.buf {
			if err := yield(it); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	t.runs = append(t.runs, name)
	clear(t.buf) // let the bytes go
	t.buf, t.held = t.buf[:0], 0
	if fi, err := os.Stat(name); err == nil {
		t.Bytes += fi.Size()
	}
	return nil
}

// write writes a run of the items each yields, in order.
func (s *Spill) write(each func(yield func(item) error) error) (string, error) {
	s.runs++
	name := filepath.Join(s.Dir, fmt.Sprintf("run-%06d", s.runs))
	f, err := os.Create(name)
	if err != nil {
		return "", err
	}
	w := bufio.NewWriterSize(f, s.BufSize)
	var hdr [8 + 8 + binary.MaxVarintLen64]byte
	err = each(func(it item) error {
		binary.LittleEndian.PutUint64(hdr[0:], it.key)
		binary.LittleEndian.PutUint64(hdr[8:], it.seq)
		n := binary.PutUvarint(hdr[16:], uint64(len(it.data)))
		if _, err := w.Write(hdr[:16+n]); err != nil {
			return err
		}
		_, err := w.Write(it.data)
		return err
	})
	if err == nil {
		err = w.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(name)
		return "", fmt.Errorf("writing a run of the shuffle to %s: %w", s.Dir, err)
	}
	return name, nil
}

// Seal writes what is held as a run, so that no memory stays held while
// other Sorters fill.
func (t *Sorter) Seal() error { return t.flush() }

// Runs is the number of runs written so far.
func (t *Sorter) Runs() int { return len(t.runs) }

// Finish writes what is held and returns the items in order. With more
// than maxRuns runs, runs are first merged maxRuns at a time, so that at
// most maxRuns are open (and buffered) at once. The Sorter is spent.
func (t *Sorter) Finish(maxRuns int) (*Merge, error) {
	if err := t.flush(); err != nil {
		return nil, err
	}
	maxRuns = max(maxRuns, 2)
	for len(t.runs) > maxRuns {
		group := t.runs[:maxRuns]
		m, err := t.spill.open(group)
		if err != nil {
			return nil, err
		}
		name, err := t.spill.write(func(yield func(item) error) error {
			for {
				it, ok, err := m.next()
				if err != nil || !ok {
					return err
				}
				if err := yield(it); err != nil {
					return err
				}
			}
		})
		m.Close()
		if err != nil {
			return nil, err
		}
		for _, g := range group {
			os.Remove(g)
		}
		t.runs = append(t.runs[maxRuns:], name)
	}
	return t.spill.open(t.runs)
}

// Merge reads sorted runs back in order.
type Merge struct {
	runs []*run
	h    runHeap
}

type run struct {
	name string
	f    *os.File
	r    *bufio.Reader
	cur  item
}

func (s *Spill) open(names []string) (*Merge, error) {
	m := &Merge{}
	for _, name := range names {
		f, err := os.Open(name)
		if err != nil {
			m.Close()
			return nil, err
		}
		r := &run{name: name, f: f, r: bufio.NewReaderSize(f, s.BufSize)}
		m.runs = append(m.runs, r)
		ok, err := r.read()
		if err != nil {
			m.Close()
			return nil, err
		}
		if ok {
			m.h = append(m.h, r)
		}
	}
	heap.Init(&m.h)
	return m, nil
}

// read reads the run's next item into cur; false at its end.
func (r *run) read() (bool, error) {
	var hdr [16]byte
	if _, err := io.ReadFull(r.r, hdr[:]); err != nil {
		if err == io.EOF {
			return false, nil
		}
		return false, fmt.Errorf("reading back %s: %w", r.name, err)
	}
	n, err := binary.ReadUvarint(r.r)
	if err != nil {
		return false, fmt.Errorf("reading back %s: %w", r.name, err)
	}
	if cap(r.cur.data) < int(n) {
		r.cur.data = make([]byte, n)
	}
	r.cur.data = r.cur.data[:n]
	if _, err := io.ReadFull(r.r, r.cur.data); err != nil {
		return false, fmt.Errorf("reading back %s: %w", r.name, errors.Join(err, io.ErrUnexpectedEOF))
	}
	r.cur.key = binary.LittleEndian.Uint64(hdr[0:])
	r.cur.seq = binary.LittleEndian.Uint64(hdr[8:])
	return true, nil
}

// next returns the least item left; its data is valid until the next call.
func (m *Merge) next() (item, bool, error) {
	if len(m.h) == 0 {
		return item{}, false, nil
	}
	top := m.h[0]
	it := top.cur
	it.data = append([]byte(nil), it.data...) // top.cur's buffer is reused by read
	ok, err := top.read()
	if err != nil {
		return item{}, false, err
	}
	if ok {
		heap.Fix(&m.h, 0)
	} else {
		heap.Pop(&m.h)
	}
	return it, true, nil
}

// Next returns the next item's bytes in order, false at the end.
func (m *Merge) Next() ([]byte, bool, error) {
	it, ok, err := m.next()
	return it.data, ok, err
}

// Close closes the runs (their files stay until Spill.Close).
func (m *Merge) Close() {
	for _, r := range m.runs {
		r.f.Close()
	}
	m.runs, m.h = nil, nil
}

type runHeap []*run

func (h runHeap) Len() int           { return len(h) }
func (h runHeap) Less(i, j int) bool { return h[i].cur.compare(h[j].cur) < 0 }
func (h runHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *runHeap) Push(x any)        { *h = append(*h, x.(*run)) }
func (h *runHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
