package hms

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"

	hm "github.com/beltran/gohive/hive_metastore"

	"github.com/waggle-dev/waggle/catalog"
)

// ---- functions ----

func (h *handler) CreateFunction(ctx context.Context, f *hm.Function) error {
	if f == nil {
		return h.fail(ctx, catalog.Errorf(catalog.ErrInvalidObject, "Function object is null"))
	}
	if err := checkCatalog(f.GetCatName()); err != nil {
		return h.fail(ctx, err)
	}
	return h.fail(ctx, h.cat.CreateFunction(ctx, funcFromThrift(f)))
}

func (h *handler) DropFunction(ctx context.Context, db, name string) error {
	n, err := parseDb(db)
	if err == nil {
		err = h.cat.DropFunction(ctx, n, name)
	}
	return h.fail(ctx, err)
}

func (h *handler) AlterFunction(ctx context.Context, db, name string, f *hm.Function) error {
	n, err := parseDb(db)
	if err == nil && f == nil {
		err = catalog.Errorf(catalog.ErrInvalidObject, "Function object is null")
	}
	if err == nil {
		err = h.cat.AlterFunction(ctx, n, name, funcFromThrift(f))
	}
	return h.fail(ctx, err)
}

func (h *handler) GetFunction(ctx context.Context, db, name string) (*hm.Function, error) {
	n, err := parseDb(db)
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	f, err := h.cat.GetFunction(ctx, n, name)
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	return funcToThrift(f), nil
}

func (h *handler) GetFunctions(ctx context.Context, db, pattern string) ([]string, error) {
	n, err := parseDb(db)
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	names, err := h.cat.ListFunctions(ctx, n, pattern)
	if errors.Is(err, catalog.ErrNotFound) {
		return []string{}, nil
	}
	return nonNil(names), h.fail(ctx, err)
}

func (h *handler) GetAllFunctions(ctx context.Context) (*hm.GetAllFunctionsResponse, error) {
	out := &hm.GetAllFunctionsResponse{Functions: []*hm.Function{}}
	dbs, err := h.cat.ListDatabases(ctx, "")
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	for _, db := range dbs {
		names, err := h.cat.ListFunctions(ctx, db, "")
		if errors.Is(err, catalog.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, h.fail(ctx, err)
		}
		for _, n := range names {
			f, err := h.cat.GetFunction(ctx, db, n)
			if errors.Is(err, catalog.ErrNotFound) {
				continue
			}
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			out.Functions = append(out.Functions, funcToThrift(f))
		}
	}
	return out, nil
}

// ---- Tier 3 stubs ----
//
// Waggle keeps no notification log, column statistics, constraints, roles
// or privileges yet. These methods answer as an HMS with none of them
// would, so clients that call them on every query keep working; updates of
// column statistics are accepted and discarded.

func (h *handler) GetCurrentNotificationEventId(ctx context.Context) (*hm.CurrentNotificationEventId, error) {
	return &hm.CurrentNotificationEventId{EventId: 0}, nil
}

func (h *handler) GetNextNotification(ctx context.Context, _ *hm.NotificationEventRequest) (*hm.NotificationEventResponse, error) {
	return &hm.NotificationEventResponse{Events: []*hm.NotificationEvent{}}, nil
}

func (h *handler) ScheduledQueryPoll(ctx context.Context, _ *hm.ScheduledQueryPollRequest) (*hm.ScheduledQueryPollResponse, error) {
	return &hm.ScheduledQueryPollResponse{}, nil
}

// GetMetastoreDbUUID derives a stable UUID from the default database's
// location (the warehouse), so it is the same on every server sharing the
// metastore database.
func (h *handler) GetMetastoreDbUUID(ctx context.Context) (string, error) {
	db, err := h.cat.GetDatabase(ctx, catalog.DefaultDatabaseName)
	if err != nil {
		return "", h.fail(ctx, err)
	}
	sum := sha256.Sum256([]byte("waggle-metastore:" + db.LocationURI))
	sum[6] = sum[6]&0x0f | 0x50 // version 5 style, name-based
	sum[8] = sum[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", sum[0:4], sum[4:6], sum[6:8], sum[8:10], sum[10:16]), nil
}

func (h *handler) GetTableStatisticsReq(ctx context.Context, _ *hm.TableStatsRequest) (*hm.TableStatsResult_, error) {
	return &hm.TableStatsResult_{TableStats: []*hm.ColumnStatisticsObj{}}, nil
}

func (h *handler) GetPartitionsStatisticsReq(ctx context.Context, _ *hm.PartitionsStatsRequest) (*hm.PartitionsStatsResult_, error) {
	return &hm.PartitionsStatsResult_{PartStats: map[string][]*hm.ColumnStatisticsObj{}}, nil
}

func (h *handler) UpdateTableColumnStatistics(ctx context.Context, _ *hm.ColumnStatistics) (bool, error) {
	return true, nil
}

func (h *handler) UpdatePartitionColumnStatistics(ctx context.Context, _ *hm.ColumnStatistics) (bool, error) {
	return true, nil
}

func (h *handler) DeleteTableColumnStatistics(ctx context.Context, _, _, _, _ string) (bool, error) {
	return true, nil
}

func (h *handler) DeletePartitionColumnStatistics(ctx context.Context, _, _, _, _, _ string) (bool, error) {
	return true, nil
}

func (h *handler) GetPrimaryKeys(ctx context.Context, _ *hm.PrimaryKeysRequest) (*hm.PrimaryKeysResponse, error) {
	return &hm.PrimaryKeysResponse{PrimaryKeys: []*hm.SQLPrimaryKey{}}, nil
}

func (h *handler) GetForeignKeys(ctx context.Context, _ *hm.ForeignKeysRequest) (*hm.ForeignKeysResponse, error) {
	return &hm.ForeignKeysResponse{ForeignKeys: []*hm.SQLForeignKey{}}, nil
}

func (h *handler) GetUniqueConstraints(ctx context.Context, _ *hm.UniqueConstraintsRequest) (*hm.UniqueConstraintsResponse, error) {
	return &hm.UniqueConstraintsResponse{UniqueConstraints: []*hm.SQLUniqueConstraint{}}, nil
}

func (h *handler) GetNotNullConstraints(ctx context.Context, _ *hm.NotNullConstraintsRequest) (*hm.NotNullConstraintsResponse, error) {
	return &hm.NotNullConstraintsResponse{NotNullConstraints: []*hm.SQLNotNullConstraint{}}, nil
}

func (h *handler) GetDefaultConstraints(ctx context.Context, _ *hm.DefaultConstraintsRequest) (*hm.DefaultConstraintsResponse, error) {
	return &hm.DefaultConstraintsResponse{DefaultConstraints: []*hm.SQLDefaultConstraint{}}, nil
}

func (h *handler) GetCheckConstraints(ctx context.Context, _ *hm.CheckConstraintsRequest) (*hm.CheckConstraintsResponse, error) {
	return &hm.CheckConstraintsResponse{CheckConstraints: []*hm.SQLCheckConstraint{}}, nil
}

func (h *handler) GetAllTableConstraints(ctx context.Context, _ *hm.AllTableConstraintsRequest) (*hm.AllTableConstraintsResponse, error) {
	return &hm.AllTableConstraintsResponse{AllTableConstraints: &hm.SQLAllTableConstraints{
		PrimaryKeys: []*hm.SQLPrimaryKey{}, ForeignKeys: []*hm.SQLForeignKey{}, UniqueConstraints: []*hm.SQLUniqueConstraint{},
		NotNullConstraints: []*hm.SQLNotNullConstraint{}, DefaultConstraints: []*hm.SQLDefaultConstraint{},
		CheckConstraints: []*hm.SQLCheckConstraint{},
	}}, nil
}

func (h *handler) ListRoles(ctx context.Context, _ string, _ hm.PrincipalType) ([]*hm.Role, error) {
	return []*hm.Role{}, nil
}

func (h *handler) GetRoleNames(ctx context.Context) ([]string, error) {
	return []string{}, nil
}

func (h *handler) GetPrivilegeSet(ctx context.Context, _ *hm.HiveObjectRef, _ string, _ []string) (*hm.PrincipalPrivilegeSet, error) {
	return &hm.PrincipalPrivilegeSet{
		UserPrivileges:  map[string][]*hm.PrivilegeGrantInfo{},
		GroupPrivileges: map[string][]*hm.PrivilegeGrantInfo{},
		RolePrivileges:  map[string][]*hm.PrivilegeGrantInfo{},
	}, nil
}

func (h *handler) ListPrivileges(ctx context.Context, _ string, _ hm.PrincipalType, _ *hm.HiveObjectRef) ([]*hm.HiveObjectPrivilege, error) {
	return []*hm.HiveObjectPrivilege{}, nil
}
