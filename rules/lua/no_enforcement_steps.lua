-- Audit check: no step of the procedure is carried out by immigration enforcement.
-- Seed 000, Annex 3: "Firewalls that separate the immigration enforcement activities from public
-- service provision"; seed 000, "Mandatory reporting": "it is good practice to separate service
-- delivery and immigration enforcement so victims/survivors are not afraid to seek services".
-- The `firewall` principle proves that her migration status never reaches them; this check
-- flags any step that hands the case itself to an actor of the immigration sector.
local flagged = {}
for _, node in ipairs(graph.nodes) do
  if node.kind == "step" then
    local actor = graph.actors[node.performer]
    if actor and actor.sector == "immigration" then
      flagged[#flagged + 1] = node.id
    end
  end
end
return flagged
