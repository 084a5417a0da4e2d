-- The staged columns and their types as the files deliver them.
describe select * from _cur_stage
