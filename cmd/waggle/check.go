package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/waggle-dev/waggle/config"
	"github.com/waggle-dev/waggle/hiveql/ast"
	"github.com/waggle-dev/waggle/hiveql/parser"
	"github.com/waggle-dev/waggle/script"
)

func newCheckCmd() *cobra.Command {
	var (
		parseOnly bool
		hivevars  []string
		defines   []string
		hiveconf  []string
	)
	cmd := &cobra.Command{
		Use:   "check FILE...",
		Short: "Parse scripts without running them; print every problem as file:line:col: message",
		Long: `check splits, substitutes variables (as waggle run would, including SET hivevar:... statements in the
script) and parses every statement of each FILE, printing each problem as file:line:col: message. It exits 1
if any problem was found, 0 otherwise. Name resolution against the metastore is not done yet, so
--parse-only is currently what check always does.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			_ = parseOnly
			vars := map[string]string{}
			conf := map[string]string{}
			for _, group := range [][]string{hivevars, defines} {
				p, err := pairs(group)
				if err != nil {
					return &exitError{code: 2, err: err}
				}
				for _, kv := range p {
					vars[kv[0]] = kv[1]
				}
			}
			p, err := pairs(hiveconf)
			if err != nil {
				return &exitError{code: 2, err: err}
			}
			for _, kv := range p {
				conf[config.Normalize(kv[0])] = kv[1]
			}
			problems := 0
			for _, file := range args {
				data, err := os.ReadFile(file)
				if err != nil {
					fmt.Fprintf(cmd.OutOrStdout(), "%s: %v\n", file, err)
					problems++
					continue
				}
				problems += checkScript(cmd.OutOrStdout(), file, string(data), vars, conf)
			}
			if problems > 0 {
				return &exitError{code: 1}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&parseOnly, "parse-only", false, "only parse (do not resolve names against the metastore)")
	cmd.Flags().StringArrayVar(&hivevars, "hivevar", nil, "variable (k=v, repeatable)")
	cmd.Flags().StringArrayVarP(&defines, "define", "d", nil, "same as --hivevar")
	cmd.Flags().StringArrayVar(&hiveconf, "hiveconf", nil, "setting (k=v, repeatable)")
	return cmd
}

// checkScript reports the problems of one script and returns how many it found.
func checkScript(w io.Writer, file, src string, hivevars, hiveconf map[string]string) int {
	vars := script.Vars{HiveVar: map[string]string{}, HiveConf: map[string]string{}}
	for k, v := range hivevars {
		vars.HiveVar[k] = v
	}
	for k, v := range hiveconf {
		vars.HiveConf[k] = v
	}
	problems := 0
	stmts, err := script.Split(file, src)
	if err != nil {
		var se *script.Error
		if errors.As(err, &se) {
			fmt.Fprintln(w, se.Error())
		} else {
			fmt.Fprintf(w, "%s: %v\n", file, err)
		}
		problems++
	}
	for _, st := range stmts {
		sub, err := script.Substitute(st, vars)
		if err != nil {
			var ue *script.UnboundError
			if errors.As(err, &ue) {
				fmt.Fprintf(w, "%s: %s\n", ue.Pos, ue.Error())
			} else {
				fmt.Fprintf(w, "%s: %v\n", st.Pos(), err)
			}
			problems++
			continue
		}
		stmt, err := parser.ParseStatement(sub.Text)
		if err != nil {
			var list parser.ErrorList
			if errors.As(err, &list) {
				for _, e := range list {
					fmt.Fprintf(w, "%s: %s\n", sub.Position(int(e.Pos)), e.Msg)
					problems++
				}
			} else {
				fmt.Fprintf(w, "%s: %v\n", st.Pos(), err)
				problems++
			}
			continue
		}
		// SET statements change the variables later statements see, as they do when the script runs.
		if set, ok := stmt.(*ast.SetStmt); ok && set.Kind == ast.SetAssign {
			ns, key, found := strings.Cut(set.Key, ":")
			switch {
			case found && strings.EqualFold(ns, "hivevar"):
				vars.HiveVar[key] = set.Value
			case found && strings.EqualFold(ns, "hiveconf"):
				vars.HiveConf[key] = set.Value
			case !found:
				vars.HiveConf[set.Key] = set.Value
			}
		}
	}
	return problems
}
