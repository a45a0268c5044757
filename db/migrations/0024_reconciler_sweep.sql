-- Issue #21: the reconciler's full pass over every open ticket ran in one go each hour; at 1M tickets
-- (73,480 open) it took 41 s on a quiet machine, 100 s loaded, against its 30 s goal, bounded by one
-- workflow description per ticket. It is now a sweep spread over the hour: each minute's pass checks
-- the next slice of open tickets after this cursor (ticket ID order); null while no sweep is under way.
ALTER TABLE "reconciler_passes" ADD COLUMN "sweep_after" text;
