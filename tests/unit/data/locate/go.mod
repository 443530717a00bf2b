module example.com/locate

go 1.19
