module example.com/campus

go 1.19
