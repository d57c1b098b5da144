module github.com/waggle-dev/waggle/tools/tpchgen

go 1.26.0

require github.com/pingcap/go-tpc v1.0.7
