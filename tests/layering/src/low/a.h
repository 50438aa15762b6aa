// A low module that reaches up: the layering check must name this line.
#pragma once
#include "high/b.h"
