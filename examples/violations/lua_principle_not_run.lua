-- A custom check that can never pass: whatever the graph API, it raises an error.
-- Used by lua_principle_not_run.sop.
error("auditor check: every case must be reviewed by the committee (this check always fails)")
