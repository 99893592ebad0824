// The five dialects, in picker order.
import baseten from "./baseten.js";
import frontier from "./frontier.js";
import apinizer from "./apinizer.js";
import conductor from "./conductor.js";
import gorules from "./gorules.js";

export const DIALECTS = [baseten, frontier, apinizer, conductor, gorules];
