package hms
import ("context";"strconv";"testing";"time"; hm "github.com/beltran/gohive/hive_metastore")
func TestProbeListSpeed(t *testing.T){
	ts := startServer(t, backends()[0], ServerOptions{})
	c := dialRaw(t, ts.addr, false, false)
	ctx := context.Background()
	must(t, c.CreateTable(ctx, tableSpec("default", "p", "a int", "b int")))
	var ps []*hm.Partition
	for i:=0;i<1000;i++{ ps = append(ps, partSpec("default","p",strconv.Itoa(i%10), strconv.Itoa(i))) }
	s:=time.Now(); _, err := c.AddPartitions(ctx, ps); must(t, err); t.Log("add", time.Since(s))
	s=time.Now(); r, err := c.GetPartitions(ctx, "default","p",-1); must(t, err); t.Log("get_partitions", len(r), time.Since(s))
	s=time.Now(); n, err := c.GetPartitionNames(ctx, "default","p",-1); must(t, err); t.Log("names", len(n), time.Since(s))
	s=time.Now(); for i:=0;i<100;i++ { _, err = c.GetTable(ctx,"default","p"); must(t,err)}; t.Log("get_table x100", time.Since(s))
}
