-- Audit check for principle `interpreter_independent` (migrant_domestic_worker.sop): wherever the
-- SOP arranges interpretation for her, the interpreter is a professional interpreter, never her
-- employer, her recruitment agent, a police officer or a member of her family.
--
-- Seed 002 essential 2: "Interpreters must respect confidentiality and should not be people is
-- direct power relations with the survivor"; essential 1: "use a professional interpreter";
-- seed 000 Component 4, practical tips: interviews "with female staff, including interpreters who
-- have been trained to work with cases of violence against women migrant workers".
--
-- What it can see (the read-only decision graph, compiler/audit.c): the referrals and shares the
-- SOP writes. It flags
--   1. every `refer X for interpretation` where X is not an actor of sector `interpretation`;
--   2. every referral or share that sends `preferred_language` (what an interpreter booking
--      needs) to an actor of sector employer, recruitment_agency, police or family.
-- What it cannot see: who is in the room at a step. The language has no notion of a person
-- taking part in a step, so an employer who "helps" by translating at the police station is
-- invisible to it (see the note on interpreters in migrant_domestic_worker.sop).
local barred = { employer = true, recruitment_agency = true, police = true, family = true }
local flagged = {}
for _, node in ipairs(graph.nodes) do
  local bad = false
  if node.kind == "refer" and node.subject == "interpretation" then
    for _, id in ipairs(node.to or {}) do
      local actor = graph.actors[id]
      if not actor or actor.sector ~= "interpretation" then bad = true end
    end
  end
  if node.kind == "refer" or node.kind == "share" then
    for _, id in ipairs(node.to or {}) do
      local actor = graph.actors[id]
      if actor and barred[actor.sector] then
        for _, d in ipairs(node.data or {}) do
          if d == "preferred_language" then bad = true end
        end
      end
    end
  end
  if bad then flagged[#flagged + 1] = node.id end
end
return flagged
