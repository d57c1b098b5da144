package hms

import (
	"context"
	"fmt"

	"github.com/apache/thrift/lib/go/thrift"
	hm "github.com/beltran/gohive/hive_metastore"
)

// get_partitions_by_filter_req is Hive 4's request form of
// get_partitions_by_filter, which Hive 4.x HiveMetaStoreClient calls
// without a fallback. gohive's IDL predates it, so its wire structs are
// written here by hand from Hive 4's hive_metastore.thrift:
//
//	struct GetPartitionsByFilterRequest {
//	  1: optional string catName, 2: string dbName, 3: string tblName, 4: string filter,
//	  5: optional i16 maxParts=-1, 6: optional string excludeParamKeyPattern,
//	  7: optional string includeParamKeyPattern }
//	list<Partition> get_partitions_by_filter_req(1:GetPartitionsByFilterRequest req)
//	  throws(1:MetaException o1, 2:NoSuchObjectException o2)
//
// The result has the same shape as get_partitions_by_filter's, whose
// generated struct is reused.
type getPartitionsByFilterRequest struct {
	CatName  string
	DbName   string
	TblName  string
	Filter   string
	MaxParts int16
}

func (r *getPartitionsByFilterRequest) Read(ctx context.Context, p thrift.TProtocol) error {
	r.MaxParts = -1
	if _, err := p.ReadStructBegin(ctx); err != nil {
		return err
	}
	for {
		_, typ, id, err := p.ReadFieldBegin(ctx)
		if err != nil {
			return err
		}
		if typ == thrift.STOP {
			break
		}
		switch {
		case typ == thrift.STRING && id >= 1 && id <= 4:
			s, err := p.ReadString(ctx)
			if err != nil {
				return err
			}
			*[]*string{&r.CatName, &r.DbName, &r.TblName, &r.Filter}[id-1] = s
		case typ == thrift.I16 && id == 5:
			if r.MaxParts, err = p.ReadI16(ctx); err != nil {
				return err
			}
		default:
			if err := p.Skip(ctx, typ); err != nil {
				return err
			}
		}
		if err := p.ReadFieldEnd(ctx); err != nil {
			return err
		}
	}
	return p.ReadStructEnd(ctx)
}

func (r *getPartitionsByFilterRequest) Write(ctx context.Context, p thrift.TProtocol) error {
	w := func(id int16, name, v string) error {
		if err := p.WriteFieldBegin(ctx, name, thrift.STRING, id); err != nil {
			return err
		}
		if err := p.WriteString(ctx, v); err != nil {
			return err
		}
		return p.WriteFieldEnd(ctx)
	}
	if err := p.WriteStructBegin(ctx, "GetPartitionsByFilterRequest"); err != nil {
		return err
	}
	if r.CatName != "" {
		if err := w(1, "catName", r.CatName); err != nil {
			return err
		}
	}
	for i, f := range []struct{ name, v string }{{"dbName", r.DbName}, {"tblName", r.TblName}, {"filter", r.Filter}} {
		if err := w(int16(i+2), f.name, f.v); err != nil {
			return err
		}
	}
	if err := p.WriteFieldBegin(ctx, "maxParts", thrift.I16, 5); err != nil {
		return err
	}
	if err := p.WriteI16(ctx, r.MaxParts); err != nil {
		return err
	}
	if err := p.WriteFieldEnd(ctx); err != nil {
		return err
	}
	if err := p.WriteFieldStop(ctx); err != nil {
		return err
	}
	return p.WriteStructEnd(ctx)
}

// getPartitionsByFilterReqArgs is the argument struct of the call.
type getPartitionsByFilterReqArgs struct {
	Req *getPartitionsByFilterRequest
}

func (a *getPartitionsByFilterReqArgs) Read(ctx context.Context, p thrift.TProtocol) error {
	if _, err := p.ReadStructBegin(ctx); err != nil {
		return err
	}
	for {
		_, typ, id, err := p.ReadFieldBegin(ctx)
		if err != nil {
			return err
		}
		if typ == thrift.STOP {
			break
		}
		if id == 1 && typ == thrift.STRUCT {
			a.Req = &getPartitionsByFilterRequest{}
			if err := a.Req.Read(ctx, p); err != nil {
				return err
			}
		} else if err := p.Skip(ctx, typ); err != nil {
			return err
		}
		if err := p.ReadFieldEnd(ctx); err != nil {
			return err
		}
	}
	return p.ReadStructEnd(ctx)
}

func (a *getPartitionsByFilterReqArgs) Write(ctx context.Context, p thrift.TProtocol) error {
	if err := p.WriteStructBegin(ctx, "get_partitions_by_filter_req_args"); err != nil {
		return err
	}
	if a.Req != nil {
		if err := p.WriteFieldBegin(ctx, "req", thrift.STRUCT, 1); err != nil {
			return err
		}
		if err := a.Req.Write(ctx, p); err != nil {
			return err
		}
		if err := p.WriteFieldEnd(ctx); err != nil {
			return err
		}
	}
	if err := p.WriteFieldStop(ctx); err != nil {
		return err
	}
	return p.WriteStructEnd(ctx)
}

// getPartitionsByFilterReqProcessor serves get_partitions_by_filter_req.
type getPartitionsByFilterReqProcessor struct{ h *handler }

const methodPartsByFilterReq = "get_partitions_by_filter_req"

func (f *getPartitionsByFilterReqProcessor) Process(ctx context.Context, seq int32, in, out thrift.TProtocol) (bool, thrift.TException) {
	var args getPartitionsByFilterReqArgs
	if err := args.Read(ctx, in); err != nil {
		in.ReadMessageEnd(ctx)
		x := thrift.NewTApplicationException(thrift.PROTOCOL_ERROR, err.Error())
		out.WriteMessageBegin(ctx, methodPartsByFilterReq, thrift.EXCEPTION, seq)
		x.Write(ctx, out)
		out.WriteMessageEnd(ctx)
		out.Flush(ctx)
		return false, thrift.WrapTException(err)
	}
	if err := in.ReadMessageEnd(ctx); err != nil {
		return false, thrift.WrapTException(err)
	}
	var res hm.ThriftHiveMetastoreGetPartitionsByFilterResult
	req := args.Req
	if req == nil {
		req = &getPartitionsByFilterRequest{MaxParts: -1}
	}
	err := checkCatalog(req.CatName)
	if err == nil {
		res.Success, err = f.h.partsByFilter(ctx, req.DbName, req.TblName, req.Filter, req.MaxParts)
	}
	switch e := f.h.fail(ctx, err).(type) {
	case nil:
	case *hm.MetaException:
		res.O1 = e
	case *hm.NoSuchObjectException:
		res.O2 = e
	default:
		res.O1 = &hm.MetaException{Message: fmt.Sprint(e)}
	}
	if err := out.WriteMessageBegin(ctx, methodPartsByFilterReq, thrift.REPLY, seq); err != nil {
		return false, thrift.WrapTException(err)
	}
	if err := res.Write(ctx, out); err != nil {
		return false, thrift.WrapTException(err)
	}
	if err := out.WriteMessageEnd(ctx); err != nil {
		return false, thrift.WrapTException(err)
	}
	if err := out.Flush(ctx); err != nil {
		return false, thrift.WrapTException(err)
	}
	return true, nil
}
